import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toasts } from './toasts.svelte';

describe('toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const t of toasts.list) toasts.dismiss(t.id);
    vi.useRealTimers();
  });

  it('leave by themselves', () => {
    toasts.success('Signed');
    expect(toasts.list).toHaveLength(1);
    vi.advanceTimersByTime(5000);
    expect(toasts.list).toHaveLength(0);
  });

  it('leave no timer behind when dismissed', () => {
    const id = toasts.error('Refused');
    expect(vi.getTimerCount()).toBe(1);
    toasts.dismiss(id);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('push the oldest out beyond four, with its timer', () => {
    const ids = [1, 2, 3, 4, 5].map((n) => toasts.success(`Toast ${n}`));
    expect(toasts.list.map((t) => t.id)).toEqual(ids.slice(1));
    expect(vi.getTimerCount()).toBe(4);
  });
});
