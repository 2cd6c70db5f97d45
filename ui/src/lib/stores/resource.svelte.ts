/**
 * A value loaded from the backend, reloaded quietly: while a reload runs, the old value
 * stays on screen (no skeleton, no flicker); only the first load shows as loading. A late
 * answer from an older request never overwrites a newer one.
 */
import { toBackendError, type BackendError } from '../backend';

export class Resource<T> {
  data = $state<T | undefined>(undefined);
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

  async load(): Promise<T | undefined> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const value = await this.#fetch();
      if (seq === this.#seq) {
        this.data = value;
        this.error = null;
      }
      return value;
    } catch (reason) {
      if (seq === this.#seq) this.error = toBackendError(reason);
      return undefined;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** Forgets the value, so the next load shows as loading again. */
  clear(): void {
    this.#seq++;
    this.data = undefined;
    this.error = null;
    this.loading = false;
  }
}
