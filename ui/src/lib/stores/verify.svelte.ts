/**
 * The record's verification: run in the background when a repository opens (once its board
 * has been painted: `startup.afterPaint`, from the session) and (debounced) when `main` moves,
 * and on demand from the Verify screen. The banner and the Verify screen read the last result.
 */
import { toBackendError, type BackendError } from '../backend';
import type { VerifyView } from '../bindings/VerifyView';
import * as record from '../services/record';
import { startup } from './startup.svelte';

const DEBOUNCE_MS = 800;

class Verification {
  view = $state<VerifyView | null>(null);
  error = $state<BackendError | null>(null);
  running = $state(false);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #current: Promise<void> | null = null;
  #again = false;

  /** Forgets the last result (another repository was opened). */
  reset(): void {
    clearTimeout(this.#timer);
    this.#seq++;
    this.view = null;
    this.error = null;
    this.running = false;
    this.#current = null;
    this.#again = false;
  }

  /** Runs verify after a quiet moment; several calls close together run it once. */
  schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.run(), delay);
  }

  /** Runs verify now (once at a time: a call while one runs runs it again after). */
  run(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#current) {
      this.#again = true;
      return this.#current;
    }
    const seq = this.#seq;
    this.running = true;
    startup.mark('verify started');
    this.#current = (async () => {
      try {
        const view = await record.verifyRecord();
        startup.mark('verify finished');
        if (seq === this.#seq) {
          this.view = view;
          this.error = null;
        }
      } catch (reason) {
        if (seq === this.#seq) this.error = toBackendError(reason);
      } finally {
        startup.report();
        if (seq === this.#seq) {
          this.running = false;
          this.#current = null;
          if (this.#again) {
            this.#again = false;
            void this.run();
          }
        }
      }
    })();
    return this.#current;
  }
}

export const verification = new Verification();
