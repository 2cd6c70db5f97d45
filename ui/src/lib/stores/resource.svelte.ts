/**
 * Data a screen loads from the backend: the one way screens load and reload.
 *
 * `resource(load, {deps})`, called while a component initialises, loads now and again
 * whenever the record may have changed (`session.version` moves: `record-changed`, another
 * acting member, another repository) or what it depends on changes (`deps`, read reactively:
 * a prop, the route). It reloads quietly: the old value stays on screen until the new one
 * arrives (no skeleton, no flicker); only the first load shows as pending. A late answer
 * from an older request never overwrites a newer one, and answers that arrive after the
 * component is gone are dropped.
 *
 * ```ts
 * const board = resource(record.board);
 * const doc = resource(({ kind, id }) => record.document(kind, id), {
 *   deps: () => (kind && id ? { kind, id } : null), // null: nothing to load
 *   reset: true, // another document: show the skeleton, not the old one
 * });
 * // board.data, board.error, board.loading, board.pending, board.load() (retry)
 * ```
 */
import { untrack } from 'svelte';
import { toBackendError, type BackendError } from '../backend';
import { session } from './session.svelte';

/** A value loaded from the backend, with its error and whether a load is running. */
export class Resource<T> {
  /**
   * Replaced whole by each load, never changed in place: raw, not a deep proxy, which would
   * give every object and field of a board of thousands of models its own proxy and signal.
   */
  data = $state.raw<T | undefined>(undefined);
  /** The last load's error; the value loaded before it, if any, stays in `data`. */
  error = $state<BackendError | null>(null);
  loading = $state(false);
  #seq = 0;
  #fetch: () => Promise<T>;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** True until something (value or error) has arrived. */
  get pending(): boolean {
    return this.data === undefined && this.error === null;
  }

  /** Loads (again); resolves with the value, or undefined on error or when overtaken. */
  async load(): Promise<T | undefined> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const value = await this.#fetch();
      if (seq !== this.#seq) return undefined;
      this.data = value;
      this.error = null;
      return value;
    } catch (reason) {
      if (seq === this.#seq) this.error = toBackendError(reason);
      return undefined;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** Ignores the answers to the loads already started. */
  cancel(): void {
    this.#seq++;
    this.loading = false;
  }

  /** Forgets the value, so the next load shows as pending again. */
  clear(): void {
    this.cancel();
    this.data = undefined;
    this.error = null;
  }
}

export interface ResourceOptions<D> {
  /**
   * What the load depends on, read reactively; it is handed to `load`, and a different
   * value (compared as JSON) loads again. `null`: nothing to load, the resource is cleared.
   */
  deps?: () => D | null;
  /** When `deps` changes, forget the old value (it shows something else) instead of keeping it until the new one arrives. */
  reset?: boolean;
}

/**
 * A `Resource` that loads now, and again when the record or `deps` change; see above.
 * Call it while a component initialises (it uses `$effect`).
 */
export function resource<T, D = undefined>(
  load: (deps: D) => Promise<T>,
  { deps = () => undefined as D, reset = false }: ResourceOptions<D> = {},
): Resource<T> {
  let current = undefined as D;
  const r = new Resource<T>(() => load(current));
  /** The deps and record version of the last load started. */
  let loadedKey: string | null = null;
  let loadedVersion = -1;

  $effect(() => {
    const version = session.version;
    const value = deps();
    untrack(() => {
      if (value === null) {
        loadedKey = null;
        r.clear();
        return;
      }
      const key = JSON.stringify(value) ?? '';
      if (key === loadedKey && version === loadedVersion) return;
      if (reset && key !== loadedKey) r.clear();
      loadedKey = key;
      loadedVersion = version;
      current = value;
      void r.load();
    });
  });
  // The component is gone: whatever is still on its way is dropped.
  $effect(() => () => r.cancel());

  return r;
}
