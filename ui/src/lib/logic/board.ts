/** Board filtering and per-gate counts. Pure functions over `BoardView`. */
import type { BoardView } from '../bindings/BoardView';
import type { BoardModel } from '../bindings/BoardModel';
import type { BoardGate } from '../bindings/BoardGate';
import type { BoardState } from '../bindings/BoardState';
import { BOARD_STATES } from './states';
import { compareText } from './text';

export interface BoardFilter {
  /** Organisation of the model; null = any. */
  org: string | null;
  /** The model's state on its card; null = any. */
  state: BoardState | null;
  /** Show only this gate's column; null = all columns. */
  gate: string | null;
  /** Words that must all appear in the id, title or organisation. */
  text: string;
}

export const EMPTY_FILTER: BoardFilter = { org: null, state: null, gate: null, text: '' };

export function isFiltered(filter: BoardFilter): boolean {
  return filter.org !== null || filter.state !== null || filter.gate !== null || filter.text.trim() !== '';
}

/**
 * The filter as it applies to a board: an organisation or a gate the board does not have
 * (another repository, a changed framework) does not filter.
 */
export function effectiveFilter(view: BoardView, filter: BoardFilter): BoardFilter {
  const org = filter.org !== null && !view.orgs.includes(filter.org) ? null : filter.org;
  const gate = filter.gate !== null && !view.gates.some((g) => g.id === filter.gate) ? null : filter.gate;
  return org === filter.org && gate === filter.gate ? filter : { ...filter, org, gate };
}

function words(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Whether a model matches the text filter: every word in its id, title or organisation. */
export function matchesText(model: BoardModel, text: string): boolean {
  const wanted = words(text);
  if (wanted.length === 0) return true;
  const haystack = `${model.id} ${model.title} ${model.org ?? ''}`.toLowerCase();
  return wanted.every((w) => haystack.includes(w));
}

/** The models that pass the organisation, state and text filters (not the gate filter). */
export function filterModels(models: readonly BoardModel[], filter: BoardFilter): BoardModel[] {
  return models.filter(
    (m) =>
      (filter.org === null || m.org === filter.org) &&
      (filter.state === null || m.state === filter.state) &&
      matchesText(m, filter.text),
  );
}

/**
 * A second card for a model in another column: gates that do not require each other (licensing
 * and data provenance both follow intake) can be open at once, and a reviewer of the later one
 * looks for the model in that gate's column, not only in the column of its first open gate.
 */
export interface AlsoCard {
  model: BoardModel;
  /** The model's status at this column's gate. */
  here: BoardGate;
}

export interface ColumnView {
  gate: BoardView['gates'][number];
  /** The models whose first open gate this is (their main card). */
  models: BoardModel[];
  /** Models open at this gate whose main card is in an earlier column. */
  also: AlsoCard[];
}

const byTitle = (a: BoardModel, b: BoardModel) => compareText(a.title, b.title) || compareText(a.id, b.id);

/** The gates a model is open at now: neither passed nor locked, in the board's gate order. */
export function openGates(model: BoardModel): BoardGate[] {
  return model.gates.filter((g) => g.state !== 'passed' && g.state !== 'locked');
}

/** The columns to show, in gate order, each with its filtered models (sorted by title). */
export function columns(view: BoardView, filter: BoardFilter): ColumnView[] {
  const models = filterModels(view.models, filter);
  return view.gates
    .filter((g) => filter.gate === null || g.id === filter.gate)
    .map((gate) => ({
      gate,
      models: models.filter((m) => m.column === gate.id).sort(byTitle),
      also: models
        .filter((m) => m.column !== gate.id)
        .sort(byTitle)
        .flatMap((model) => {
          const here = openGates(model).find((g) => g.gate === gate.id);
          return here ? [{ model, here }] : [];
        }),
    }));
}

/** How many cards a column shows (main and second), for keyboard moves. */
export function cardCount(col: Pick<ColumnView, 'models' | 'also'>): number {
  return col.models.length + col.also.length;
}

/**
 * How many cards a column shows before "Show more": a board of a thousand models is read
 * through its filters, and a card costs the window memory whether it is seen or not.
 */
export const COLUMN_PAGE = 50;

/** The cards of `col` a limit of `limit` shows (main cards first), and how many it hides. */
export function shownCards(col: ColumnView, limit: number): { models: BoardModel[]; also: AlsoCard[]; hidden: number } {
  const models = col.models.slice(0, limit);
  const also = col.also.slice(0, Math.max(0, limit - models.length));
  return { models, also, hidden: cardCount(col) - models.length - also.length };
}

/**
 * The limit that shows row `row` of a column, in whole pages: coming back from a model far
 * down a column, its card is shown again to take the focus.
 */
export function limitShowing(row: number, limit: number): number {
  return row < limit ? limit : Math.ceil((row + 1) / COLUMN_PAGE) * COLUMN_PAGE;
}

/** The other gates, by title, a model is open at besides `gate`: for a card's words. */
export function alsoOpenAt(view: BoardView, model: BoardModel, gate: string): string[] {
  const title = (id: string) => view.gates.find((g) => g.id === id)?.title ?? id;
  return openGates(model)
    .filter((g) => g.gate !== gate)
    .map((g) => title(g.gate));
}

export interface GateCount {
  gate: string;
  title: string;
  total: number;
  /** How many of the column's models are in each state; every state present, zeros included. */
  byState: Record<BoardState, number>;
}

function zeroStates(): Record<BoardState, number> {
  const counts = {} as Record<BoardState, number>;
  for (const s of BOARD_STATES) counts[s] = 0;
  return counts;
}

/** How many models sit in each gate's column, and their state mix, in gate order. */
export function countsPerGate(view: BoardView, models: readonly BoardModel[] = view.models): GateCount[] {
  const byGate = new Map<string, GateCount>();
  const out = view.gates.map((g) => {
    const c: GateCount = { gate: g.id, title: g.title, total: 0, byState: zeroStates() };
    byGate.set(g.id, c);
    return c;
  });
  for (const m of models) {
    const c = byGate.get(m.column);
    if (!c) continue;
    c.total += 1;
    c.byState[m.state] = (c.byState[m.state] ?? 0) + 1;
  }
  return out;
}

/** A model's status at one gate, when the board has it. */
export function gateOf(model: BoardModel, gate: string): BoardGate | undefined {
  return model.gates.find((g) => g.gate === gate);
}

/** A segment of a stacked bar: `[state, count]` pairs in legend order, zeros left out. */
export function stateMix(count: GateCount): [BoardState, number][] {
  return BOARD_STATES.filter((s) => count.byState[s] > 0).map((s) => [s, count.byState[s]]);
}

/**
 * Where arrow keys move focus on the board: columns left/right (to the nearest row),
 * cards up/down within a column. Returns the new `[column, row]`, or null to stay.
 */
export function moveFocus(
  sizes: readonly number[],
  at: readonly [number, number],
  key: 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End',
): [number, number] | null {
  const [col, row] = at;
  if (key === 'ArrowUp') return row > 0 ? [col, row - 1] : null;
  if (key === 'ArrowDown') return row + 1 < sizes[col] ? [col, row + 1] : null;
  if (key === 'Home') return sizes[col] > 0 && row !== 0 ? [col, 0] : null;
  if (key === 'End') return sizes[col] > 0 && row !== sizes[col] - 1 ? [col, sizes[col] - 1] : null;
  const step = key === 'ArrowLeft' ? -1 : 1;
  for (let c = col + step; c >= 0 && c < sizes.length; c += step) {
    if (sizes[c] > 0) return [c, Math.min(row, sizes[c] - 1)];
  }
  return null;
}
