/**
 * What an error code means to a person, for the places that explain rather than echo.
 * `ErrorCode` is generated from the Rust enum of every code the UI can receive: a code without
 * a sentence here, or a misspelt one anywhere, fails `npm run check`.
 */
import type { ErrorCode } from '../bindings/ErrorCode';

const FRIENDLY: Record<ErrorCode, string> = {
  'invalid-argument': 'Something in the request is not valid.',
  'malformed-file': 'A file in the record is malformed.',
  'not-found': 'That could not be found: it may have been moved or removed.',
  'not-governance-repository': 'That folder is not a governance repository.',
  'not-member': 'You are not a member of this consortium.',
  'missing-role': 'You do not hold the role this gate needs.',
  'own-organisation': 'This gate is independent: members of the model’s own organisation may not sign it.',
  'gate-locked': 'This gate is locked until the gates it requires have passed.',
  'not-owner': 'Only the model’s owners may change it.',
  exists: 'Something already exists there.',
  'signing-required': 'The consortium requires signed commits, and no signing key was found for you.',
  'key-not-listed': 'Your signing key is not one of your keys in consortium.toml, so it may not sign for you.',
  'proposal-closed': 'This proposal was already accepted, withdrawn or rejected.',
  'not-author': 'Only the proposal’s author may do this.',
  'quorum-not-reached': 'The approvals on the current version do not reach the quorum yet.',
  'standing-objection': 'An objection stands: only the member who raised it can lift it.',
  'comment-period': 'The final comment period has not ended yet.',
  'comment-required': 'Say why in the comment: a request for changes, a rejection or a withdrawal needs one.',
  'nothing-to-withdraw': 'You have no sign-off standing on this gate to withdraw.',
  'main-moved': 'The record changed the same files since this proposal was drafted: it needs a revision.',
  'no-objection': 'A proposal is rejected only over a standing objection.',
  'passphrase-required': 'Your signing key is protected: its passphrase is needed.',
  'bad-passphrase': 'That passphrase does not unlock the key.',
  'key-unreadable': 'Your signing key could not be read.',
  'agent-unavailable': 'The ssh-agent holding your key could not be reached.',
  'key-unusable': 'Your signing key could not sign.',
  contention: 'The record moved while saving, too often: try again.',
  git: 'Git reported a problem.',
  index: 'The search index reported a problem.',
  io: 'The file system reported a problem.',
  'render-failed': 'The report could not be made in that format.',
  'incoming-breach': 'The remote’s new commits break the consortium’s rules, so none of them was taken in.',
  'remote-rewritten': 'The remote no longer holds commits it held before: its history was rewritten. Nothing was taken in.',
  'other-consortium': 'That remote holds another consortium’s record.',
  'sync-conflict': 'Both sides changed the same files differently. Nothing was merged: choose which version stands.',
  'remote-unreachable': 'The remote could not be reached: check its address and the network.',
  'remote-authentication': 'The remote did not accept your credentials.',
  'push-rejected': 'The remote refused your changes.',
  'no-member': 'Choose which member you are before signing.',
  'no-repository': 'No governance repository is open.',
  internal: 'The app could not complete that request.',
};

/** The friendly sentence for a code; `fallback` (the backend's message) if an unknown string slips through. */
export function friendlyMessage(code: ErrorCode, fallback = ''): string {
  return FRIENDLY[code] ?? (fallback || 'Something went wrong.');
}

/** Friendlier still for the repository chooser, where the path is the person's input. */
export function repositoryMessage(code: ErrorCode, fallback = ''): string {
  switch (code) {
    case 'not-governance-repository':
      return 'That folder is not a governance repository.';
    case 'not-found':
    case 'io':
      return 'That folder could not be read: check the path.';
    case 'invalid-argument':
      return fallback || 'Some of the details are not valid.';
    case 'git':
      return fallback ? `Git could not do it: ${fallback}` : 'Git could not do it.';
    default:
      return friendlyMessage(code, fallback);
  }
}

const IDENTITY_CAN_FIX: readonly ErrorCode[] = ['no-member', 'not-member', 'key-not-listed', 'signing-required'];
const KEY_PROBLEMS: readonly ErrorCode[] = ['key-not-listed', 'signing-required', 'key-unreadable', 'agent-unavailable'];

/** Refusals that the Identity screen can fix. */
export function identityCanFix(code: ErrorCode | null | undefined): boolean {
  return code != null && IDENTITY_CAN_FIX.includes(code);
}

/** Refusals about the signing key (the Identity screen shows the key and why). */
export function isKeyProblem(code: ErrorCode | null | undefined): boolean {
  return code != null && KEY_PROBLEMS.includes(code);
}
