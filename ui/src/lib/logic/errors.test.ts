import { describe, expect, it } from 'vitest';
import { friendlyMessage, identityCanFix, isKeyProblem, repositoryMessage } from './errors';

describe('error codes in words', () => {
  it('explains not-governance-repository by its code, not by the message text', () => {
    expect(repositoryMessage('not-governance-repository', 'whatever the backend said')).toBe(
      'That folder is not a governance repository.',
    );
  });
  it("falls back to the backend's message for a code it does not know", () => {
    expect(friendlyMessage('brand-new-code', 'Something specific')).toBe('Something specific');
  });
  it('offers the Identity screen for no-member and not-member refusals only', () => {
    expect([identityCanFix('no-member'), identityCanFix('not-member'), identityCanFix('gate-locked')]).toEqual([true, true, false]);
  });

  it('sends key refusals to the Identity screen, by code', () => {
    expect([identityCanFix('key-not-listed'), identityCanFix('signing-required')]).toEqual([true, true]);
    expect([isKeyProblem('key-not-listed'), isKeyProblem('signing-required'), isKeyProblem('missing-role')]).toEqual([true, true, false]);
    expect(friendlyMessage('bad-passphrase')).toBe('That passphrase does not unlock the key.');
  });
});
