/**
 * Words, colours and icons for states. A state is always shown as colour AND word AND icon,
 * never colour alone. Colours are CSS custom properties defined in `app.css` for both themes.
 */
import type { BoardState } from '../bindings/BoardState';
import type { GateState } from '../bindings/GateState';
import type { ItemState } from '../bindings/ItemState';
import type { Decision } from '../bindings/Decision';

export type IconName =
  | 'check'
  | 'half'
  | 'pencil'
  | 'cross'
  | 'clock'
  | 'lock'
  | 'circle'
  | 'dash';

/** The board states in the order a model moves through them, as the legend shows them. */
export const BOARD_STATES: readonly BoardState[] = [
  'open',
  'in-review',
  'changes-requested',
  'rejected',
  'stale',
  'locked',
  'passed',
];

export interface StateLook {
  /** The word a reader sees. */
  label: string;
  /** The key of the colour tokens: `var(--state-<tone>)`, `var(--state-<tone>-bg)`. */
  tone: string;
  icon: IconName;
}

const BOARD: Record<BoardState, StateLook> = {
  passed: { label: 'passed', tone: 'passed', icon: 'check' },
  'in-review': { label: 'in review', tone: 'review', icon: 'half' },
  'changes-requested': { label: 'changes requested', tone: 'changes', icon: 'pencil' },
  rejected: { label: 'rejected', tone: 'rejected', icon: 'cross' },
  stale: { label: 'stale', tone: 'stale', icon: 'clock' },
  locked: { label: 'locked', tone: 'locked', icon: 'lock' },
  open: { label: 'open', tone: 'open', icon: 'circle' },
};

const ITEM: Record<ItemState, StateLook> = {
  done: { label: 'done', tone: 'passed', icon: 'check' },
  'not-applicable': { label: 'not applicable', tone: 'locked', icon: 'dash' },
  open: { label: 'open', tone: 'open', icon: 'circle' },
};

const DECISION: Record<Decision, StateLook> = {
  approve: { label: 'approved', tone: 'passed', icon: 'check' },
  'changes-requested': { label: 'changes requested', tone: 'changes', icon: 'pencil' },
  reject: { label: 'rejected', tone: 'rejected', icon: 'cross' },
  withdraw: { label: 'withdrew', tone: 'locked', icon: 'dash' },
};

const UNKNOWN: StateLook = { label: 'unknown', tone: 'locked', icon: 'circle' };

/** How a board or gate state looks (every `GateState` is also a `BoardState`). */
export function stateLook(state: BoardState | GateState): StateLook {
  return BOARD[state] ?? { ...UNKNOWN, label: String(state) };
}

export function stateLabel(state: BoardState | GateState): string {
  return stateLook(state).label;
}

/** The CSS colour of a state, for text, borders and chart bars. */
export function stateColor(state: BoardState | GateState): string {
  return `var(--state-${stateLook(state).tone})`;
}

/** The soft background of a state, for badges. */
export function stateBackground(state: BoardState | GateState): string {
  return `var(--state-${stateLook(state).tone}-bg)`;
}

export function itemLook(state: ItemState): StateLook {
  return ITEM[state] ?? { ...UNKNOWN, label: String(state) };
}

export function decisionLook(decision: Decision | string): StateLook {
  return DECISION[decision as Decision] ?? { ...UNKNOWN, label: String(decision) };
}

/** The words for the three item choices in the sign-off form. */
export const ITEM_CHOICES: readonly { value: ItemState; label: string }[] = [
  { value: 'done', label: 'Done' },
  { value: 'not-applicable', label: 'Not applicable' },
  { value: 'open', label: 'Open' },
];

export const DECISION_CHOICES: readonly { value: Decision; label: string }[] = [
  { value: 'approve', label: 'Approve' },
  { value: 'changes-requested', label: 'Request changes' },
  { value: 'reject', label: 'Reject' },
];
