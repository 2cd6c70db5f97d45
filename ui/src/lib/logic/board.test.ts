import { describe, expect, it } from 'vitest';
import type { BoardView } from '../bindings/BoardView';
import type { BoardModel } from '../bindings/BoardModel';
import { EMPTY_FILTER, columns, countsPerGate, effectiveFilter, filterModels, moveFocus, stateMix } from './board';

const gate = (id: string, order: number) => ({ id, title: id[0].toUpperCase() + id.slice(1), order, role: 'r', quorum: 1 });
const model = (id: string, org: string, column: string, state: BoardModel['state']): BoardModel => ({
  id,
  title: id.toUpperCase(),
  org,
  column,
  state,
  gates: [],
});

const view: BoardView = {
  head: 'h',
  consortium: 'Test',
  gates: [gate('intake', 10), gate('licensing', 20), gate('safety', 60)],
  models: [
    model('alpha-7b', 'bsc', 'intake', 'open'),
    model('beta-34b', 'bsc', 'licensing', 'in-review'),
    model('gamma-1.6t', 'riken', 'licensing', 'stale'),
    model('delta-200b', 'anl', 'safety', 'changes-requested'),
  ],
  orgs: ['anl', 'bsc', 'riken'],
  problems: [],
};

describe('board filtering', () => {
  it('narrows by organisation', () => {
    expect(filterModels(view.models, { ...EMPTY_FILTER, org: 'bsc' }).map((m) => m.id)).toEqual(['alpha-7b', 'beta-34b']);
  });

  it('needs every word of the text filter, in id, title or org', () => {
    expect(filterModels(view.models, { ...EMPTY_FILTER, text: 'RIKEN 1.6t' }).map((m) => m.id)).toEqual(['gamma-1.6t']);
    expect(filterModels(view.models, { ...EMPTY_FILTER, text: 'riken 34b' })).toEqual([]);
  });

  it('shows only the chosen gate column when filtered by gate', () => {
    const cols = columns(view, { ...EMPTY_FILTER, gate: 'licensing' });
    expect(cols.map((c) => c.gate.id)).toEqual(['licensing']);
    expect(cols[0].models.map((m) => m.id)).toEqual(['beta-34b', 'gamma-1.6t']);
  });

  it('ignores an organisation or gate the board does not have', () => {
    const stale = { ...EMPTY_FILTER, org: 'cern', gate: 'deployment', text: 'beta' };
    expect(effectiveFilter(view, stale)).toEqual({ ...stale, org: null, gate: null });
    const fine = { ...EMPTY_FILTER, org: 'bsc', gate: 'licensing' };
    expect(effectiveFilter(view, fine)).toBe(fine);
  });

  it('counts models per gate column with their state mix, zero columns kept', () => {
    const counts = countsPerGate(view);
    expect(counts.map((c) => [c.gate, c.total])).toEqual([
      ['intake', 1],
      ['licensing', 2],
      ['safety', 1],
    ]);
    expect(stateMix(counts[1])).toEqual([
      ['in-review', 1],
      ['stale', 1],
    ]);
  });
});

describe('board keyboard moves', () => {
  it('skips empty columns going right and clamps to the last card', () => {
    expect(moveFocus([3, 0, 1], [0, 2], 'ArrowRight')).toEqual([2, 0]);
  });
  it('stays put at the top of a column', () => {
    expect(moveFocus([3, 0, 1], [0, 0], 'ArrowUp')).toBeNull();
  });
});
