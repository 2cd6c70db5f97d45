import { describe, expect, it } from 'vitest';
import type { BoardView } from '../bindings/BoardView';
import type { BoardModel } from '../bindings/BoardModel';
import type { BoardGate } from '../bindings/BoardGate';
import type { GateState } from '../bindings/GateState';
import {
  EMPTY_FILTER,
  alsoOpenAt,
  COLUMN_PAGE,
  cardCount,
  columns,
  countsPerGate,
  effectiveFilter,
  filterModels,
  limitShowing,
  moveFocus,
  openGates,
  shownCards,
  stateMix,
} from './board';

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

const at = (g: string, state: GateState, approvals = 0): BoardGate => ({
  gate: g,
  state,
  board_state: state,
  approvals,
  quorum: 2,
  stale: 0,
  waiting_for: null,
  older_checklist: 0,
  older_versions: [],
});

describe('a model open at several gates at once', () => {
  // As in the sample: intake passed, so licensing and data provenance (both need only intake) are open.
  const gates = [gate('intake', 10), gate('licensing', 20), gate('provenance', 30), gate('safety', 60)];
  const twoOpen: BoardModel = {
    ...model('tpc-34b', 'bsc', 'licensing', 'stale'),
    gates: [at('intake', 'passed'), at('licensing', 'open'), at('provenance', 'in-review', 1), at('safety', 'locked')],
  };
  const oneOpen: BoardModel = {
    ...model('base-1b', 'cscs', 'intake', 'open'),
    gates: [at('intake', 'open'), at('licensing', 'locked'), at('provenance', 'locked'), at('safety', 'locked')],
  };
  const board: BoardView = { ...view, gates, models: [twoOpen, oneOpen], orgs: ['bsc', 'cscs'] };

  it('knows the gates open now, in order, neither passed nor locked', () => {
    expect(openGates(twoOpen).map((g) => g.gate)).toEqual(['licensing', 'provenance']);
    expect(openGates(oneOpen).map((g) => g.gate)).toEqual(['intake']);
  });

  it('keeps the main card at the first open gate and adds a second card at the other', () => {
    const cols = columns(board, EMPTY_FILTER);
    const ids = (i: number) => [cols[i].models.map((m) => m.id), cols[i].also.map((a) => a.model.id)];
    expect(ids(0)).toEqual([['base-1b'], []]);
    expect(ids(1)).toEqual([['tpc-34b'], []]);
    expect(ids(2)).toEqual([[], ['tpc-34b']]);
    expect(ids(3)).toEqual([[], []]);
    // The second card shows the model as it stands at that gate, not at its first.
    expect(cols[2].also[0].here).toMatchObject({ gate: 'provenance', state: 'in-review', approvals: 1 });
    expect(cols.map(cardCount)).toEqual([1, 1, 1, 0]);
  });

  it('shows the second card when only that gate is chosen, and not when the model is filtered out', () => {
    const only = columns(board, { ...EMPTY_FILTER, gate: 'provenance' });
    expect(only.map((c) => [c.gate.id, c.also.map((a) => a.model.id)])).toEqual([['provenance', ['tpc-34b']]]);
    expect(columns(board, { ...EMPTY_FILTER, org: 'cscs' })[2].also).toEqual([]);
  });

  it('names the other open gates by title for the card', () => {
    expect(alsoOpenAt(board, twoOpen, 'provenance')).toEqual(['Licensing']);
    expect(alsoOpenAt(board, twoOpen, 'licensing')).toEqual(['Provenance']);
    expect(alsoOpenAt(board, oneOpen, 'intake')).toEqual([]);
  });

  it('counts each model once in the chart, at its main column', () => {
    expect(countsPerGate(board).map((c) => c.total)).toEqual([1, 1, 0, 0]);
  });
});

describe('a long column, shown a page at a time', () => {
  const many: BoardModel[] = Array.from({ length: 120 }, (_, i) =>
    model(`m-${String(i).padStart(3, '0')}`, 'bsc', 'intake', 'open'),
  );
  const col = { gate: view.gates[0], models: many.slice(0, 70), also: many.slice(70).map((m) => ({ model: m, here: {} as BoardGate })) };

  it('shows main cards first, then second cards, up to the limit, and counts the rest', () => {
    const first = shownCards(col, COLUMN_PAGE);
    expect([first.models.length, first.also.length, first.hidden]).toEqual([50, 0, 70]);
    const two = shownCards(col, 2 * COLUMN_PAGE);
    // Every main card, then 30 second cards: 100 in all, 20 hidden.
    expect([two.models.length, two.also.length, two.hidden]).toEqual([70, 30, 20]);
    expect(shownCards(col, 1000).hidden).toBe(0);
  });

  it('keeps a short column whole', () => {
    const short = { ...col, models: many.slice(0, 3), also: [] };
    expect(shownCards(short, COLUMN_PAGE)).toEqual({ models: many.slice(0, 3), also: [], hidden: 0 });
  });

  it('widens the limit in whole pages to show a card coming back into focus', () => {
    expect(limitShowing(10, COLUMN_PAGE)).toBe(COLUMN_PAGE);
    expect(limitShowing(COLUMN_PAGE, COLUMN_PAGE)).toBe(2 * COLUMN_PAGE);
    expect(limitShowing(119, COLUMN_PAGE)).toBe(3 * COLUMN_PAGE);
    expect(limitShowing(60, 3 * COLUMN_PAGE)).toBe(3 * COLUMN_PAGE);
  });
});
