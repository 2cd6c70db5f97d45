/**
 * One signed action at a time (a vote, an accept, a proposal): runs it, and when the key asks
 * for its passphrase, holds the action until the dialog hands one over. The passphrase is
 * passed to that one call only and never kept.
 */
import { toBackendError, type BackendError } from '../backend';
import { friendlyMessage } from '../logic/errors';

type Attempt = (passphrase: string | null) => Promise<void>;

export class SignedAction {
  busy = $state(false);
  /** What the action was (for tests and the error's place), while running or after failing. */
  what = $state<string | null>(null);
  error = $state<BackendError | null>(null);
  /** Set while the key asks for its passphrase: the backend's words naming the key. */
  unlock = $state<{ prompt: string; error: string | null } | null>(null);
  #pending: Attempt | null = null;

  /** Runs `action` (named `what`); `done` gets its result. */
  async run<T>(what: string, action: (passphrase: string | null) => Promise<T>, done: (value: T) => void): Promise<void> {
    this.what = what;
    this.error = null;
    this.#pending = async (passphrase) => done(await action(passphrase));
    await this.#attempt(null);
  }

  /** The dialog's passphrase, for the action waiting on it. */
  async retry(passphrase: string): Promise<void> {
    await this.#attempt(passphrase);
  }

  cancel(): void {
    this.unlock = null;
    this.#pending = null;
  }

  async #attempt(passphrase: string | null): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    this.busy = true;
    try {
      await pending(passphrase);
      this.unlock = null;
      this.#pending = null;
    } catch (reason) {
      const e = toBackendError(reason);
      if (e.code === 'passphrase-required') {
        this.unlock = { prompt: e.message, error: null };
      } else if (e.code === 'bad-passphrase' && this.unlock) {
        this.unlock = { prompt: this.unlock.prompt, error: friendlyMessage(e.code, e.message) };
      } else {
        this.unlock = null;
        this.#pending = null;
        this.error = e;
      }
    } finally {
      this.busy = false;
    }
  }
}
