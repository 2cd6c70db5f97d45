/** Sync: the record's remotes, and a sync with one of them (fetch, check, combine, push). */
import { call } from '../backend';
import type { FetchOutcome } from '../bindings/FetchOutcome';
import type { Keep } from '../bindings/Keep';
import type { RemoteStatus } from '../bindings/RemoteStatus';
import type { SyncOutcome } from '../bindings/SyncOutcome';

/** Every remote, with how far `main` is ahead and behind, and when it was last synced. */
export const remotes = () => call<RemoteStatus[]>('remotes');
/**
 * Syncs with `remote`; `keep` is the member's choice after a conflict (whose version of the
 * files both sides changed stands); `passphrase` unlocks a protected key for the merge, once.
 */
export const syncNow = (remote: string, keep: Keep | null = null, passphrase: string | null = null) =>
  call<SyncOutcome>('sync_now', { remote, keep, passphrase });
/** Takes in `remote`'s new commits after the checks a sync makes; moves and sends nothing. */
export const fetchNow = (remote: string) => call<FetchOutcome>('fetch_now', { remote });
