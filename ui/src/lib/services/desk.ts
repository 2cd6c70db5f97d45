/** The reviewer's desk: the gates I may sign, what changed under a stale sign-off, withdrawing. */
import { call } from '../backend';
import type { MyGate } from '../bindings/MyGate';
import type { ModelChanges } from '../bindings/ModelChanges';
import type { SignoffOutcome } from '../bindings/SignoffOutcome';

/** Every gate the acting member may sign now: what `gatehouse status --may-sign` prints. */
export const myGates = () => call<MyGate[]>('my_gates');
/** The model's folder now against `since`, the tree a sign-off reviewed. */
export const modelChanges = (model: string, since: string) => call<ModelChanges>('model_changes', { model, since });
/** Takes back the acting member's latest sign-off on the gate; `comment` says why. */
export const withdrawSignoff = (model: string, gate: string, comment: string, passphrase: string | null = null) =>
  call<SignoffOutcome>('withdraw_signoff', { model, gate, comment, passphrase });
/** Saves one of the acting member's own sign-offs as an in-toto attestation signed with their key. */
export const exportAttestation = (model: string, gate: string, signoff: string, dest: string, passphrase: string | null = null) =>
  call<null>('export_attestation', { model, gate, signoff, dest, passphrase });
