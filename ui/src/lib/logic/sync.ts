/** What the Sync control says: the remote's standing and a sync's outcome, in plain words. */
import type { RemoteStatus } from '../bindings/RemoteStatus';
import type { SyncOutcome } from '../bindings/SyncOutcome';

/** The remote a sync goes to: `origin` when there is one, else the first by name. */
export function chosenRemote(list: RemoteStatus[]): RemoteStatus | null {
  return list.find((r) => r.name === 'origin') ?? list[0] ?? null;
}

/** "2 to send · 3 to take in", or null before the first sync (nothing known yet). */
export function standing(r: RemoteStatus): string | null {
  if (r.ahead === null || r.behind === null) return null;
  if (r.ahead === 0 && r.behind === 0) return 'in step';
  const parts: string[] = [];
  if (r.ahead > 0) parts.push(`${r.ahead} to send`);
  if (r.behind > 0) parts.push(`${r.behind} to take in`);
  return parts.join(' · ');
}

const commits = (n: number) => `${n} commit${n === 1 ? '' : 's'}`;

/** The toast after a sync. */
export function outcomeMessage(o: SyncOutcome): string {
  switch (o.action) {
    case 'up-to-date':
      return `Already in step with ${o.remote}.`;
    case 'fast-forward':
      return `Took in ${commits(o.incoming)} from ${o.remote}.`;
    case 'pushed':
      return `Sent ${commits(o.outgoing)} to ${o.remote}.`;
    case 'merged':
      return `Took in ${commits(o.incoming)} from ${o.remote} and sent yours with a signed sync merge.`;
  }
}

/** How often the background fetch runs, when the member turned it on. */
export const FETCH_EVERY_MS = 5 * 60 * 1000;
const AUTO_FETCH_KEY = 'gatehouse.autoFetch';

/** Whether the member turned the background fetch on (kept across restarts). */
export function autoFetchChosen(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  try {
    return storage?.getItem(AUTO_FETCH_KEY) === 'on';
  } catch {
    return false;
  }
}

export function chooseAutoFetch(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, on: boolean): void {
  try {
    if (on) storage?.setItem(AUTO_FETCH_KEY, 'on');
    else storage?.removeItem(AUTO_FETCH_KEY);
  } catch {
    // A storage that refuses (private mode) only means the choice is not remembered.
  }
}

/** Why a remote's `main` stands refused, after "origin's main (abc123)". */
export function refusalReason(code: string): string {
  switch (code) {
    case 'incoming-breach':
      return 'holds new commits that break the rules';
    case 'remote-rewritten':
      return 'dropped commits it held before: its history was rewritten';
    default:
      return 'was refused';
  }
}

/** Whether a sync's error is a refusal for what the remote holds, listed on the Verify screen. */
export function refusedFor(code: string): boolean {
  return code === 'incoming-breach' || code === 'remote-rewritten';
}
