/** Long work the backend reports (`progress` events): indexing, cloning. */
import type { ProgressEvent } from '../bindings/ProgressEvent';

class Progress {
  task = $state('');
  done = $state(0);
  total = $state(0);
  active = $state(false);
  #hide: ReturnType<typeof setTimeout> | undefined;
  #show: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;

  /** 0..1, or null when the amount of work is not known. */
  get fraction(): number | null {
    if (this.total <= 0) return null;
    return Math.min(1, this.done / this.total);
  }

  update(e: ProgressEvent): void {
    clearTimeout(this.#hide);
    clearTimeout(this.#watchdog);
    this.task = e.task;
    this.done = e.done;
    this.total = e.total;
    if (e.finished) {
      clearTimeout(this.#show);
      this.#show = undefined;
      // Let the bar reach its end before it goes.
      this.#hide = setTimeout(() => (this.active = false), 400);
    } else if (!this.active && this.#show === undefined) {
      // Work shorter than a blink shows nothing.
      this.#show = setTimeout(() => {
        this.#show = undefined;
        this.active = true;
      }, 150);
    }
    if (!e.finished) {
      // Some work is only announced, never ended: a bar that hears nothing for a while goes.
      this.#watchdog = setTimeout(() => this.settle(), e.total > 0 ? 8000 : 2500);
    }
  }

  /** The work that was announced is over (its command answered). */
  settle(): void {
    clearTimeout(this.#hide);
    clearTimeout(this.#show);
    clearTimeout(this.#watchdog);
    this.#show = undefined;
    this.active = false;
  }
}

export const progress = new Progress();
