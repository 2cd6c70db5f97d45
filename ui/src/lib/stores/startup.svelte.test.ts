import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// No Tauri here: every command is recorded and answered by the test's table.
const backend = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock('../backend', async (importOriginal) => {
  const real = await importOriginal<typeof import('../backend')>();
  return {
    ...real,
    call: vi.fn(async (command: string) => {
      backend.calls.push(command);
      if (command === 'verify_record') return { findings: [] };
      throw new real.BackendError('internal', 'no backend in tests');
    }),
    subscribe: vi.fn(async () => () => undefined),
  };
});

import { startup } from './startup.svelte';
import { session } from './session.svelte';
import { verification } from './verify.svelte';
import type { OpenedRepo } from '../bindings/OpenedRepo';

const repo: OpenedRepo = { path: '/r', name: 'C', head: 'abc', sample: false };

beforeEach(() => {
  vi.useFakeTimers();
  backend.calls.length = 0;
  startup.reset();
  verification.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the start', () => {
  it('holds work until the board has been painted, then runs it after that frame', async () => {
    const ran: string[] = [];
    startup.hold();
    startup.afterPaint(() => ran.push('deferred'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(ran, 'nothing runs before the board is painted, however long it takes').toEqual([]);
    startup.boardPainted();
    expect(ran, 'not in the frame that paints the board').toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['deferred']);
    expect(startup.painted).toBe(true);
    startup.afterPaint(() => ran.push('later'));
    expect(ran, 'once painted, work asked for runs at once').toEqual(['deferred', 'later']);
  });

  it('does not release a newer opening with an older board', async () => {
    const ran: string[] = [];
    startup.hold();
    startup.boardPainted();
    startup.hold(); // another repository, opened in the same frame
    startup.afterPaint(() => ran.push('second'));
    await vi.advanceTimersByTimeAsync(0);
    expect(ran, "the first board's paint does not count for the second").toEqual([]);
    startup.boardPainted();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['second']);
  });

  it('opening a repository runs verify only after its board has been painted', async () => {
    await session.opened(repo);
    await vi.advanceTimersByTimeAsync(2000);
    expect(backend.calls, 'no verify while the board is on its way').not.toContain('verify_record');
    startup.boardPainted();
    await vi.advanceTimersByTimeAsync(10);
    expect(backend.calls).toContain('verify_record');
    const names = startup.marks.map((m) => m.name);
    expect(names.indexOf('board painted')).toBeLessThan(names.indexOf('verify started'));
    expect(names.indexOf('verify started')).toBeGreaterThanOrEqual(0);
  });
});
