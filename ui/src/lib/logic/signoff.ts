/**
 * The sign-off form's draft: starting it, keeping it across record changes, and turning it
 * into the form the backend takes. Whether it may be signed is the backend's answer
 * (`checkSignoffDraft`, the rule the commit applies), never decided here.
 */
import type { Decision } from '../bindings/Decision';
import type { ItemState } from '../bindings/ItemState';
import type { SignForm } from '../bindings/SignForm';
import type { GateDetail } from '../bindings/GateDetail';
import type { SignoffView } from '../bindings/SignoffView';

export interface ItemDraft {
  id: string;
  state: ItemState;
  note: string;
  /** Evidence files of the model (relative to its folder) attached to this item. */
  evidence: string[];
}

export interface SignDraft {
  decision: Decision;
  items: ItemDraft[];
  comment: string;
}

/** Advice that does not block: a request for changes or a rejection should say why. */
export function draftAdvice(draft: SignDraft): string | null {
  if (draft.decision === 'approve' || draft.comment.trim() !== '') return null;
  return draft.decision === 'reject'
    ? 'Consider saying in the comment why you reject: the owners will read it.'
    : 'Consider saying in the comment what should change: the owners will read it.';
}

/** Marks every open item done, leaving items already marked not applicable as they are. */
/** The items "Mark all done" would tick: those still open, in checklist order. */
export function openItemIds(draft: SignDraft): string[] {
  return draft.items.filter((i) => i.state === 'open').map((i) => i.id);
}

export function markAllDone(draft: SignDraft): SignDraft {
  return {
    ...draft,
    items: draft.items.map((i) => (i.state === 'open' ? { ...i, state: 'done' } : i)),
  };
}

/** The acting member's latest sign-off on this gate, if any. */
export function previousSignoff(gate: GateDetail, member: string | null): SignoffView | undefined {
  return member ? [...gate.signoffs].reverse().find((s) => s.member === member) : undefined;
}

/**
 * A fresh draft for a gate. When the acting member signed this gate before, their notes and
 * evidence are filled in to revise; the item states too, but only while that sign-off is
 * still current: when the model has changed since, every item starts open, to be checked
 * again. Without an earlier sign-off every item starts open.
 */
export function initialDraft(gate: GateDetail, member: string | null): SignDraft {
  const mine = previousSignoff(gate, member);
  return {
    decision: 'approve',
    comment: '',
    items: gate.items.map((item) => {
      const before = mine?.items.find((i) => i.id === item.id);
      return {
        id: item.id,
        state: before && mine?.current ? before.state : 'open',
        note: before?.note ?? '',
        evidence: before ? [...before.evidence] : [],
      };
    }),
  };
}

/** The form as the backend takes it. Notes and the comment are trimmed. */
export function buildSignForm(model: string, gate: string, draft: SignDraft): SignForm {
  return {
    model,
    gate,
    decision: draft.decision,
    items: draft.items.map((i) => ({ id: i.id, state: i.state, note: i.note.trim() })),
    evidence: draft.items.flatMap((i) => i.evidence.map((path) => ({ item: i.id, path }))),
    comment: draft.comment.trim(),
  };
}

/**
 * Keeps a reader's draft when the gate changes under it (the record moved): items still on
 * the checklist keep their input, new items start open, removed items and evidence files
 * that no longer exist are dropped.
 */
export function reconcileDraft(draft: SignDraft, gate: GateDetail, evidence: readonly string[]): SignDraft {
  const files = new Set(evidence);
  const before = new Map(draft.items.map((i) => [i.id, i]));
  return {
    ...draft,
    items: gate.items.map((item) => {
      const kept = before.get(item.id);
      return kept
        ? { ...kept, evidence: kept.evidence.filter((e) => files.has(e)) }
        : { id: item.id, state: 'open' as ItemState, note: '', evidence: [] };
    }),
  };
}
