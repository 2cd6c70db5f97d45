/** Sync: the record's remotes, and a sync with one of them (fetch, check, combine, push). */
import { call } from '../backend';
import type { RemoteStatus } from '../bindings/RemoteStatus';
import type { SyncOutcome } from '../bindings/SyncOutcome';

/** Every remote, with how far `main` is ahead and behind, and when it was last synced. */
export const remotes = () => call<RemoteStatus[]>('remotes');
/** Syncs with `remote`; `passphrase` unlocks a protected key for the sync merge, once. */
export const syncNow = (remote: string, passphrase: string | null = null) =>
  call<SyncOutcome>('sync_now', { remote, passphrase });
