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

class Toasts {
  list = $state<Toast[]>([]);

  show(toast: Omit<Toast, 'id'>, ms = toast.kind === 'error' ? 9000 : 5000): number {
    const id = next++;
    this.list = [...this.list.slice(-3), { ...toast, id }];
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  success(title: string, detail?: string, testid?: string): number {
    return this.show({ kind: 'success', title, detail, testid });
  }

  error(title: string, detail?: string, code?: string): number {
    return this.show({ kind: 'error', title, detail, code });
  }

  dismiss(id: number): void {
    this.list = this.list.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
