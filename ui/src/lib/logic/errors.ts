/** What an error code means to a person, for the places that explain rather than echo. */

const FRIENDLY: Record<string, string> = {
  'no-repository': 'No governance repository is open.',
  'not-governance-repository': 'That folder is not a governance repository.',
  'not-found': 'That could not be found: it may have been moved or removed.',
  'invalid-argument': 'Something in the request is not valid.',
  'malformed-file': 'A file in the record is malformed.',
  'not-member': 'You are not a member of this consortium.',
  'missing-role': 'You do not hold the role this gate needs.',
  'own-organisation': 'This gate is independent: members of the model’s own organisation may not sign it.',
  'gate-locked': 'This gate is locked until the gates it requires have passed.',
  'signing-required': 'The consortium requires signed commits, and no signing key was found for you.',
  'key-not-listed': 'Your signing key is not one of your keys in consortium.toml, so it may not sign for you.',
  'passphrase-required': 'Your signing key is protected: its passphrase is needed.',
  'bad-passphrase': 'That passphrase does not unlock the key.',
  'agent-unavailable': 'The ssh-agent holding your key could not be reached.',
  'key-unreadable': 'Your signing key could not be read.',
  exists: 'Something already exists there.',
  'no-member': 'Choose which member you are before signing.',
  contention: 'The record moved while saving, too often: try again.',
  git: 'Git reported a problem.',
  index: 'The search index reported a problem.',
  io: 'The file system reported a problem.',
  internal: 'The app could not complete that request.',
};

/** The friendly sentence for a code; `fallback` (the backend's message) for unknown codes. */
export function friendlyMessage(code: string, fallback = ''): string {
  return FRIENDLY[code] ?? (fallback || 'Something went wrong.');
}

/** Friendlier still for the repository chooser, where the path is the person's input. */
export function repositoryMessage(code: string, fallback = ''): string {
  switch (code) {
    case 'not-governance-repository':
      return 'That folder is not a governance repository.';
    case 'not-found':
    case 'io':
      return 'That folder could not be read: check the path.';
    case 'exists':
      return 'That folder is not empty: choose a new or empty folder.';
    case 'invalid-argument':
      return fallback || 'Some of the details are not valid.';
    case 'git':
      return fallback ? `Git could not do it: ${fallback}` : 'Git could not do it.';
    default:
      return friendlyMessage(code, fallback);
  }
}

/** Refusals that the Identity screen can fix. */
export function identityCanFix(code: string | null | undefined): boolean {
  return code === 'no-member' || code === 'not-member' || code === 'key-not-listed' || code === 'signing-required';
}

/** Refusals about the signing key (the Identity screen shows the key and why). */
export function isKeyProblem(code: string | null | undefined): boolean {
  return code === 'key-not-listed' || code === 'signing-required' || code === 'key-unreadable' || code === 'agent-unavailable';
}
