/**
 * The start's order. Opening a repository paints its board first; work that reads the whole
 * history (verify) or that the board does not show (the inbox's count, the sync standing)
 * waits until the board has been painted, so it never competes with the first paint for the
 * machine's cores. The board says when it has painted (its data or its error), or that it is
 * gone; the deferred work then starts in the task after that frame.
 *
 * Marks (`mark`) record the window's side of the start for measuring by hand: with
 * `GATEHOUSE_READY_FILE` set, the shell writes them beside the ready file (see
 * docs/app-benchmarks.md); they are also `performance` marks named `gatehouse:<what>`.
 */
import type { WindowMark } from '../bindings/WindowMark';
import { uiTimeline } from '../services/repository';

const MAX_MARKS = 64;
const REPORT_AFTER_MS = 500;

class Startup {
  /** True once the open repository's board has been painted (or given up on). */
  painted = $state(false);
  #waiting: Array<() => void> = [];
  #opening = 0;
  #marks: WindowMark[] = [];
  #reporting: ReturnType<typeof setTimeout> | undefined;

  /** A repository is being opened: work asked for from now on waits for its board. */
  hold(): void {
    this.#opening++;
    this.painted = false;
  }

  /**
   * The board has been painted (called from the frame that shows it), or will not be (it
   * failed or was left): runs the deferred work in the next task, after the frame is painted.
   */
  boardPainted(): void {
    if (this.painted) return;
    const opening = this.#opening;
    this.mark('board painted');
    setTimeout(() => {
      if (opening !== this.#opening || this.painted) return;
      this.painted = true;
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const work of waiting) work();
    }, 0);
  }

  /** Runs `work` once the board has been painted (now, if it has). */
  afterPaint(work: () => void): void {
    if (this.painted) work();
    else this.#waiting.push(work);
  }

  /** Notes that the window reached `what` now. */
  mark(what: string): void {
    if (this.#marks.length >= MAX_MARKS) return;
    const now = globalThis.performance?.now?.() ?? 0;
    this.#marks.push({ name: what, epoch_ms: (globalThis.performance?.timeOrigin ?? Date.now() - now) + now });
    try {
      globalThis.performance?.mark?.(`gatehouse:${what}`);
    } catch {
      // Marks are for measuring only.
    }
  }

  /**
   * Hands the marks to the shell, which writes them only while the start is measured
   * (`GATEHOUSE_READY_FILE`); called when verify answers, a moment later so that the other
   * deferred work (the inbox, the sync standing) has answered too.
   */
  report(): void {
    clearTimeout(this.#reporting);
    this.#reporting = setTimeout(() => {
      uiTimeline(this.marks).catch(() => undefined);
    }, REPORT_AFTER_MS);
  }

  /** The marks so far, in order. */
  get marks(): WindowMark[] {
    return [...this.#marks];
  }

  /** Forgets everything (tests). */
  reset(): void {
    this.#opening++;
    this.painted = false;
    this.#waiting = [];
    this.#marks = [];
    clearTimeout(this.#reporting);
  }
}

export const startup = new Startup();
