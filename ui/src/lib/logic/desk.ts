/** The reviewer's desk: grouping "My gates", and the words of withdrawals and stale sign-offs. */
import type { MyGate } from '../bindings/MyGate';
import type { SignoffView } from '../bindings/SignoffView';

export interface MyGateGroup {
  key: 'waiting' | 'decided';
  title: string;
  gates: MyGate[];
}

/**
 * The gates I may sign, split into those waiting on my decision and those where mine stands
 * (I may sign again); the core's order (model, then gate order) is kept inside each group and
 * empty groups are left out.
 */
export function myGateGroups(gates: readonly MyGate[]): MyGateGroup[] {
  const waiting = gates.filter((g) => g.decision === null);
  const decided = gates.filter((g) => g.decision !== null);
  const groups: MyGateGroup[] = [];
  if (waiting.length) groups.push({ key: 'waiting', title: 'Waiting on your decision', gates: waiting });
  if (decided.length) groups.push({ key: 'decided', title: 'Your decision stands; you may sign again', gates: decided });
  return groups;
}

/** Whether `member` may withdraw sign-off `s` now: theirs, and the core says it is withdrawable. */
export function canWithdraw(s: SignoffView, member: string | null | undefined): boolean {
  return !!member && s.member === member && s.withdrawable;
}

/**
 * The sign-off a gate's "what changed" opens: the latest stale one (the newest reviewed tree
 * is the smallest change to explain), or null when none is stale.
 */
export function latestStale(signoffs: readonly SignoffView[]): SignoffView | null {
  let best: SignoffView | null = null;
  for (const s of signoffs) {
    if (s.current || s.decision === 'withdraw') continue;
    if (!best || s.at > best.at) best = s;
  }
  return best;
}

/** A decision as a noun: "your approval", "your request for changes". */
export function decisionNoun(decision: string): string {
  const NOUNS: Record<string, string> = {
    approve: 'approval',
    'changes-requested': 'request for changes',
    reject: 'rejection',
    withdraw: 'withdrawal',
  };
  return NOUNS[decision] ?? decision;
}
