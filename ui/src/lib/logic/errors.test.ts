import { describe, expect, it } from 'vitest';
import { friendlyMessage, identityCanFix, isKeyProblem, repositoryMessage } from './errors';
import type { ErrorCode } from '../bindings/ErrorCode';

describe('error codes in words', () => {
  it('explains not-governance-repository by its code, not by the message text', () => {
    expect(repositoryMessage('not-governance-repository', 'whatever the backend said')).toBe(
      'That folder is not a governance repository.',
    );
  });
  it("falls back to the backend's message if a string that is no code slips through", () => {
    // The type forbids it; a rejection from outside the commands is not typed.
    expect(friendlyMessage('brand-new-code' as ErrorCode, 'Something specific')).toBe('Something specific');
  });
  it('has its own sentence for the codes the table once missed', () => {
    expect(friendlyMessage('not-owner', 'x')).toBe('Only the model’s owners may change it.');
    expect(friendlyMessage('key-unusable', 'x')).toBe('Your signing key could not sign.');
  });
  it('explains a folder that is not empty by the backend’s words, as the backend sends it', () => {
    // A full folder is invalid input naming the folder, never `exists`.
    const said = 'folder: /tmp/x already exists and is not empty';
    expect(repositoryMessage('invalid-argument', said)).toBe(said);
    expect(repositoryMessage('exists', said)).toBe(friendlyMessage('exists'));
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
