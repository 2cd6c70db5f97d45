/** Short confirmations and errors in a corner of the window; they leave by themselves. */

export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  detail?: string;
  /** An error's code, shown to those who need it and for tests. */
  code?: string;
  /** A `data-testid` for the toast, for end-to-end tests. */
  testid?: string;
}

let next = 1;

/** At most this many toasts at once: a new one pushes the oldest out. */
const MAX = 4;

class Toasts {
  list = $state<Toast[]>([]);
  /** The timers that take toasts away, by id. */
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(toast: Omit<Toast, 'id'>, ms = toast.kind === 'error' ? 9000 : 5000): number {
    const id = next++;
    for (const old of this.list.slice(0, -(MAX - 1))) this.dismiss(old.id);
    this.list = [...this.list, { ...toast, id }];
    if (ms > 0) this.#timers.set(id, setTimeout(() => this.dismiss(id), ms));
    return id;
  }

  success(title: string, detail?: string, testid?: string): number {
    return this.show({ kind: 'success', title, detail, testid });
  }

  error(title: string, detail?: string, code?: string): number {
    return this.show({ kind: 'error', title, detail, code });
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.list = this.list.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
