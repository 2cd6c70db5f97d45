import { describe, expect, it } from 'vitest';
import type { FindingView } from '../bindings/FindingView';
import { bannerText, cleanText, filterFindings, findingTotal, kindCounts, kindLabel, signatureLook } from './verify';

function finding(kind: FindingView['kind'], commit = 'c1'): FindingView {
  return { kind, commit, summary: 's', author: 'a', time: BigInt(0), path: null, member: null, message: 'm' };
}

describe('verify findings', () => {
  it('counts by kind, most frequent first, leaving zeros out', () => {
    expect(kindCounts({ counts: { unsigned: 1, 'edited-signoff': 3, 'bad-signature': 1, 'not-owner': 0 } })).toEqual([
      { kind: 'edited-signoff', label: 'Edited sign-off', count: 3 },
      { kind: 'bad-signature', label: 'Bad signature', count: 1 },
      { kind: 'unsigned', label: 'Unsigned commit', count: 1 },
    ]);
    expect(kindCounts({ counts: {} })).toEqual([]);
  });

  it('filters by kind, keeping the order; empty kind keeps all', () => {
    const all = [finding('unsigned', 'a'), finding('edited-signoff', 'b'), finding('unsigned', 'c')];
    expect(filterFindings(all, '').map((f) => f.commit)).toEqual(['a', 'b', 'c']);
    expect(filterFindings(all, 'unsigned').map((f) => f.commit)).toEqual(['a', 'c']);
    expect(filterFindings(all, 'bad-merge')).toEqual([]);
  });

  it('names kinds, falling back to the code', () => {
    expect(kindLabel('history-rewritten')).toBe('History rewritten');
    expect(kindLabel('something-new')).toBe('something-new');
  });

  it('has a banner only when there are findings', () => {
    expect(bannerText(null)).toBeNull();
    expect(bannerText({ findings: [] })).toBeNull();
    expect(bannerText({ findings: [finding('unsigned')] })).toBe('Verify found 1 finding in this record’s history.');
    expect(bannerText({ findings: [finding('unsigned'), finding('not-owner')] })).toContain('2 findings');
    expect(findingTotal(undefined)).toBe(0);
  });

  it('says how many commits a clean run checked', () => {
    expect(cleanText(1)).toBe('1 commit checked, no findings');
    expect(cleanText(42)).toBe('42 commits checked, no findings');
  });
});

describe('signature badges', () => {
  it('shows valid with the fingerprint', () => {
    const look = signatureLook({ status: 'valid', fingerprint: 'SHA256:abc' });
    expect(look.kind).toBe('valid');
    expect(look.label).toBe('signed');
    expect(look.title).toContain('SHA256:abc');
  });
  it('shows unsigned', () => {
    expect(signatureLook({ status: 'unsigned' }).kind).toBe('unsigned');
  });
  it('shows invalid with the reason', () => {
    const look = signatureLook({ status: 'invalid', reason: 'not one of rvance’s keys' });
    expect(look.kind).toBe('invalid');
    expect(look.title).toContain('not one of rvance’s keys');
    expect(look.label).toBe('bad signature');
  });
  it('says so when the commit is not known', () => {
    expect(signatureLook(null).kind).toBe('unknown');
  });
});
