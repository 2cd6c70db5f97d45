import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import { actionLabel, actionTone, buildHistoryFilter, groupByDay, sentencePieces, sentenceText, signatureWords } from './history';

const entry = (commit: string, time: number): HistoryEntry => ({
  commit,
  time,
  author: 'Ada',
  email: 'ada@example.org',
  summary: 's',
  body: '',
  action: 'signoff',
  member: 'ada',
  model: 'm',
  gate: 'g',
  decision: 'approve',
  sentence: [],
  note: '',
  signature: null,
});

describe('history filter', () => {
  it('turns empty choices into null (any) and keeps chosen ones', () => {
    expect(buildHistoryFilter({ member: 'ada', model: '', gate: '  ', action: 'signoff' })).toEqual({
      member: 'ada',
      model: null,
      gate: null,
      action: 'signoff',
      limit: 500,
    });
  });

  it('sends no limit when none is wanted', () => {
    expect(buildHistoryFilter({}, 0).limit).toBeNull();
  });
});

describe('history grouping', () => {
  it('groups newest-first entries by local day and names today', () => {
    const now = new Date(2026, 10, 29, 18, 0, 0);
    const t = (d: number, h: number) => new Date(2026, 10, d, h, 0, 0).getTime() / 1000;
    const groups = groupByDay([entry('a', t(29, 17)), entry('b', t(29, 9)), entry('c', t(27, 12))], now);
    expect(groups.map((g) => [g.key, g.entries.length])).toEqual([
      ['2026-11-29', 2],
      ['2026-11-27', 1],
    ]);
    expect(groups[0].label).toBe('Today');
  });

  it('names a sign-off by its decision on the badge', () => {
    expect(actionLabel('signoff', 'changes-requested')).toBe('changes requested');
    expect(actionLabel('init')).toBe('founded');
  });
});

describe('history sentences', () => {
  const parts = [
    { text: 'Hiroshi Sato (RIKEN)', name: { kind: 'member' as const, id: 'hsato' } },
    { text: ' approved ', name: null },
    { text: 'Licensing', name: { kind: 'gate' as const, id: 'licensing' } },
    { text: ' for ', name: null },
    { text: 'tpc-science-34b', name: { kind: 'model' as const, id: 'tpc-science-34b' } },
  ];

  it('reads as the sentence the core made', () => {
    expect(sentenceText(parts)).toBe('Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b');
  });

  it('marks names and gives their ids on hover, plain words stay plain', () => {
    const pieces = sentencePieces(parts);
    expect(pieces.map((p) => p.title)).toEqual(['member hsato', null, 'gate licensing', null, 'model tpc-science-34b']);
    expect(pieces.filter((p) => p.kind === null).map((p) => p.text)).toEqual([' approved ', ' for ']);
  });

  it('shows a withdrawn sign-off neutrally, not as an approval', () => {
    expect(actionLabel('signoff', 'withdraw')).toBe('withdrawn');
    expect(actionTone('signoff', 'withdraw')).toBe('locked');
  });
});

describe('history signatures', () => {
  it('says what the signature is for any commit, not only a sign-off', () => {
    expect(signatureWords({ status: 'valid', fingerprint: 'SHA256:abc' }).words).toBe('Signed with the member’s key SHA256:abc');
    expect(signatureWords({ status: 'unsigned' })).toEqual({ kind: 'unsigned', tone: 'changes', words: 'Not signed' });
    expect(signatureWords({ status: 'invalid', reason: 'the signature by X does not match the commit' }).words).toBe(
      'Does not hold: the signature by X does not match the commit',
    );
    expect(signatureWords(null).kind).toBe('unknown');
  });
});
