import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';

// No Tauri here: commands fail, and event handlers are kept so tests can emit events.
const events = vi.hoisted(() => ({
  handlers: new Map<string, (payload: unknown) => void>(),
  released: [] as string[],
}));
vi.mock('../backend', async (importOriginal) => {
  const real = await importOriginal<typeof import('../backend')>();
  return {
    ...real,
    call: vi.fn(async () => {
      throw new real.BackendError('internal', 'no backend in tests');
    }),
    subscribe: vi.fn(async (event: string, handler: (payload: unknown) => void) => {
      events.handlers.set(event, handler);
      return () => {
        events.handlers.delete(event);
        events.released.push(event);
      };
    }),
  };
});

import { Resource, resource, type ResourceOptions } from './resource.svelte';
import { session } from './session.svelte';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A loader whose every call waits until the test answers it. */
function fakeLoader<T, D = undefined>() {
  const calls: { deps: D; answer: Deferred<T> }[] = [];
  const load = (deps: D) => {
    const answer = deferred<T>();
    calls.push({ deps, answer });
    return answer.promise;
  };
  return { load, calls };
}

/** Lets the answers given so far reach the resource. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Creates a resource as a component would, in an effect root; returns it and its teardown. */
function mounted<T, D = undefined>(load: (deps: D) => Promise<T>, options?: ResourceOptions<D>) {
  let r!: Resource<T>;
  const destroy = $effect.root(() => {
    r = resource(load, options);
  });
  flushSync();
  return { r, destroy };
}

const teardowns: (() => void)[] = [];
afterEach(() => {
  for (const t of teardowns.splice(0)) t();
});

describe('Resource', () => {
  it('is pending until a value or an error arrives, and loading while a load runs', async () => {
    const l = fakeLoader<string>();
    const r = new Resource(() => l.load(undefined));
    expect(r.pending).toBe(true);
    const done = r.load();
    expect(r.loading).toBe(true);
    l.calls[0].answer.resolve('v1');
    await done;
    expect([r.data, r.pending, r.loading]).toEqual(['v1', false, false]);
  });

  it('ignores a late answer to an older load', async () => {
    const l = fakeLoader<string>();
    const r = new Resource(() => l.load(undefined));
    const older = r.load();
    const newer = r.load();
    l.calls[1].answer.resolve('new');
    await newer;
    l.calls[0].answer.resolve('old');
    await older;
    expect(r.data).toBe('new');
    expect(r.loading).toBe(false);
  });

  it('ignores a late failure of an older load', async () => {
    const l = fakeLoader<string>();
    const r = new Resource(() => l.load(undefined));
    const older = r.load();
    const newer = r.load();
    expect(r.loading).toBe(true);
    l.calls[0].answer.reject({ code: 'repo-locked', message: 'busy' });
    await older;
    expect([r.error, r.loading]).toEqual([null, true]);
    l.calls[1].answer.resolve('fine');
    await newer;
    expect([r.data, r.error, r.loading]).toEqual(['fine', null, false]);
  });

  it('keeps the value on screen when a reload fails, and the error until a load succeeds', async () => {
    const l = fakeLoader<string>();
    const r = new Resource(() => l.load(undefined));
    let done = r.load();
    l.calls[0].answer.resolve('v1');
    await done;

    done = r.load();
    l.calls[1].answer.reject({ code: 'repo-locked', message: 'The repository is busy.' });
    await done;
    expect(r.data).toBe('v1');
    expect(r.error?.code).toBe('repo-locked');
    expect(r.error?.message).toBe('The repository is busy.');

    // A reload that runs does not hide the error; one that succeeds clears it.
    done = r.load();
    expect(r.error?.code).toBe('repo-locked');
    l.calls[2].answer.resolve('v2');
    await done;
    expect([r.data, r.error]).toEqual(['v2', null]);
  });

  it('forgets its value on clear, and answers to loads started before', async () => {
    const l = fakeLoader<string>();
    const r = new Resource(() => l.load(undefined));
    const done = r.load();
    r.clear();
    l.calls[0].answer.resolve('late');
    await done;
    expect([r.data, r.pending, r.loading]).toEqual([undefined, true, false]);
  });
});

describe('resource()', () => {
  it('loads at once, and again quietly when the record changes', async () => {
    const l = fakeLoader<string>();
    const { r, destroy } = mounted(l.load);
    teardowns.push(destroy);
    expect(l.calls).toHaveLength(1);
    l.calls[0].answer.resolve('v1');
    await settle();
    expect(r.data).toBe('v1');

    session.version++;
    flushSync();
    expect(l.calls).toHaveLength(2);
    // The old value stays on screen while the new one loads.
    expect([r.data, r.loading, r.pending]).toEqual(['v1', true, false]);
    l.calls[1].answer.resolve('v2');
    await settle();
    expect(r.data).toBe('v2');
  });

  it('reloads on a record-changed event from the backend', async () => {
    const l = fakeLoader<string>();
    const { destroy } = mounted(l.load);
    teardowns.push(destroy);
    void session.start();
    teardowns.push(() => session.stop());
    const emit = events.handlers.get('record-changed');
    expect(emit).toBeDefined();

    emit?.({ head: 'a'.repeat(40) });
    flushSync();
    expect(l.calls).toHaveLength(2);
    // The same head again is no change.
    emit?.({ head: 'a'.repeat(40) });
    flushSync();
    expect(l.calls).toHaveLength(2);
    emit?.({ head: 'b'.repeat(40) });
    flushSync();
    expect(l.calls).toHaveLength(3);
  });

  it('uses only the newest answer when the record changes during a load', async () => {
    const l = fakeLoader<string>();
    const { r, destroy } = mounted(l.load);
    teardowns.push(destroy);
    session.version++;
    flushSync();
    l.calls[1].answer.resolve('after the change');
    l.calls[0].answer.resolve('before the change');
    await settle();
    expect(r.data).toBe('after the change');
  });

  it('reloads when its dependencies change, not when they come back equal', async () => {
    const l = fakeLoader<string, { id: string }>();
    const state = $state({ id: 'm1' });
    const { r, destroy } = mounted(l.load, { deps: () => ({ id: state.id.trim() }) });
    teardowns.push(destroy);
    expect(l.calls.map((c) => c.deps)).toEqual([{ id: 'm1' }]);
    l.calls[0].answer.resolve('m1 data');
    await settle();

    state.id = 'm2';
    flushSync();
    expect(l.calls.map((c) => c.deps)).toEqual([{ id: 'm1' }, { id: 'm2' }]);
    // Without `reset`, the old value stays until the new one arrives.
    expect(r.data).toBe('m1 data');

    // What it reads changed, but the dependencies are equal: no reload.
    state.id = 'm2 ';
    flushSync();
    expect(l.calls).toHaveLength(2);
    // Retrying loads with the current dependencies.
    void r.load();
    expect(l.calls[2].deps).toEqual({ id: 'm2' });
  });

  it('loads nothing while its dependencies are null, and forgets what it had', async () => {
    const l = fakeLoader<string, string>();
    const state = $state<{ q: string | null }>({ q: null });
    const { r, destroy } = mounted(l.load, { deps: () => state.q });
    teardowns.push(destroy);
    expect(l.calls).toHaveLength(0);
    expect(r.pending).toBe(true);

    state.q = 'licence';
    flushSync();
    l.calls[0].answer.resolve('hits');
    await settle();
    expect(r.data).toBe('hits');

    state.q = null;
    flushSync();
    expect([r.data, r.error, r.loading]).toEqual([undefined, null, false]);
    session.version++;
    flushSync();
    expect(l.calls).toHaveLength(1);
  });

  it('with reset, forgets the old value when its dependencies change', async () => {
    const l = fakeLoader<string, string>();
    const state = $state({ doc: 'charter' });
    const { r, destroy } = mounted(l.load, { deps: () => state.doc, reset: true });
    teardowns.push(destroy);
    l.calls[0].answer.resolve('charter text');
    await settle();

    state.doc = 'intake';
    flushSync();
    expect(r.pending).toBe(true);
    // A late answer for the old document does not show under the new one.
    l.calls[1].answer.resolve('intake text');
    await settle();
    expect(r.data).toBe('intake text');

    // The record moving keeps the value (same document).
    session.version++;
    flushSync();
    expect(r.data).toBe('intake text');
  });

  it('drops answers that arrive after the component is gone, and stops reloading', async () => {
    const l = fakeLoader<string>();
    const { r, destroy } = mounted(l.load);
    destroy();
    l.calls[0].answer.resolve('too late');
    await settle();
    expect(r.data).toBeUndefined();
    session.version++;
    flushSync();
    expect(l.calls).toHaveLength(1);
  });
});

describe('session', () => {
  it('releases its backend listeners when stopped', () => {
    void session.start();
    expect(events.handlers.has('record-changed')).toBe(true);
    session.stop();
    return settle().then(() => {
      expect(events.handlers.has('record-changed')).toBe(false);
      expect(events.handlers.has('progress')).toBe(false);
      expect(events.released).toEqual(expect.arrayContaining(['record-changed', 'progress']));
    });
  });
});
