import { describe, expect, it } from 'vitest';
import { signBlock, signersLine } from './eligibility';

describe('signBlock', () => {
  it('is null when the member may sign', () => {
    expect(signBlock({ allowed: true, code: null, reason: null })).toBeNull();
  });
  it("gives the backend's reason and code when not", () => {
    const b = signBlock({ allowed: false, code: 'missing-role', reason: 'tokafor does not hold the role license-reviewer' });
    expect(b).toEqual({ code: 'missing-role', reason: 'tokafor does not hold the role license-reviewer' });
  });
  it('falls back to the plain words of the code', () => {
    expect(signBlock({ allowed: false, code: 'no-member', reason: null })?.reason).toMatch(/Choose which member/);
  });
});

describe('signersLine', () => {
  it('names each member who may sign with their organisation', () => {
    expect(
      signersLine([
        { id: 'hsato', name: 'Hiroshi Sato', org: 'riken' },
        { id: 'lgarcia', name: 'Lena García', org: 'bsc' },
      ]),
    ).toBe('May sign: Hiroshi Sato (riken), Lena García (bsc)');
  });
  it('says so when nobody may', () => {
    expect(signersLine([])).toMatch(/^No member may sign/);
  });
});
