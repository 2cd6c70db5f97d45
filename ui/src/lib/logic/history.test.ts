import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import { actionLabel, buildHistoryFilter, groupByDay } from './history';

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
