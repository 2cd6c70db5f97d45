import { describe, expect, it } from 'vitest';
import type { MyGate } from '../bindings/MyGate';
import type { SignoffView } from '../bindings/SignoffView';
import { canWithdraw, decisionNoun, latestStale, myGateGroups } from './desk';

const gate = (model: string, g: string, decision: MyGate['decision']): MyGate => ({
  model,
  model_title: model,
  gate: g,
  gate_title: g,
  state: 'open',
  decision,
});

const signoff = (over: Partial<SignoffView>): SignoffView => ({
  path: 'signoffs/m/g/20261129T170000Z-ana.toml',
  member: 'ana',
  member_name: 'Ana',
  org: 'one',
  decision: 'approve',
  at: '2026-11-29T17:00:00Z',
  commit: null,
  signature: null,
  comment: '',
  current: true,
  subject: 'tree-now',
  checklist: 'blob',
  on_older_checklist: false,
  withdrawn: false,
  withdraws: null,
  withdrawable: true,
  items: [],
  ...over,
});

describe('myGateGroups', () => {
  it('puts the gates waiting on me first and keeps the order inside each group', () => {
    const groups = myGateGroups([gate('a', 'licensing', 'approve'), gate('a', 'safety', null), gate('b', 'intake', null)]);
    expect(groups.map((g) => g.key)).toEqual(['waiting', 'decided']);
    expect(groups[0].gates.map((g) => `${g.model}/${g.gate}`)).toEqual(['a/safety', 'b/intake']);
    expect(groups[1].gates.map((g) => g.gate)).toEqual(['licensing']);
  });

  it('leaves out an empty group, so nothing says "0"', () => {
    expect(myGateGroups([gate('a', 'g', null)]).map((g) => g.key)).toEqual(['waiting']);
    expect(myGateGroups([])).toEqual([]);
  });
});

describe('canWithdraw', () => {
  it('offers withdrawing only my own sign-off that the core marks withdrawable', () => {
    expect(canWithdraw(signoff({}), 'ana')).toBe(true);
    expect(canWithdraw(signoff({}), 'bob')).toBe(false);
    expect(canWithdraw(signoff({ withdrawable: false }), 'ana')).toBe(false);
    expect(canWithdraw(signoff({}), null)).toBe(false);
  });
});

describe('latestStale', () => {
  it('picks the newest stale sign-off, never a current one or a withdrawal', () => {
    const old = signoff({ current: false, at: '2026-11-01T00:00:00Z', subject: 'old' });
    const newer = signoff({ current: false, at: '2026-11-02T00:00:00Z', subject: 'newer' });
    const withdrawal = signoff({ current: false, at: '2026-11-03T00:00:00Z', decision: 'withdraw', subject: 'w' });
    expect(latestStale([old, newer, withdrawal, signoff({ at: '2026-11-04T00:00:00Z' })])?.subject).toBe('newer');
    expect(latestStale([signoff({})])).toBeNull();
  });
});

describe('decisionNoun', () => {
  it('names each decision as the withdraw dialog says it ("your approval")', () => {
    expect(['approve', 'changes-requested', 'reject'].map(decisionNoun)).toEqual([
      'approval',
      'request for changes',
      'rejection',
    ]);
  });
});
