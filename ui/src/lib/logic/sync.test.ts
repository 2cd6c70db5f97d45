import { describe, expect, it } from 'vitest';
import type { RemoteStatus } from '../bindings/RemoteStatus';
import { autoFetchChosen, chooseAutoFetch, chosenRemote, outcomeMessage, refusalReason, refusedFor, standing } from './sync';

const remote = (name: string, ahead: number | null, behind: number | null): RemoteStatus => ({
  name,
  url: `file:///srv/${name}.git`,
  ahead,
  behind,
  last_tip: ahead === null ? null : 'a'.repeat(40),
  last_sync: ahead === null ? null : '2026-11-29T17:00:00Z',
  last_fetch: null,
  refused_at: null,
});

describe('the Sync control', () => {
  it('syncs with origin when there is one, else the first remote', () => {
    expect(chosenRemote([remote('eu', 0, 0), remote('origin', 0, 0)])?.name).toBe('origin');
    expect(chosenRemote([remote('eu', 0, 0)])?.name).toBe('eu');
    expect(chosenRemote([])).toBeNull();
  });

  it('says how far apart the clone and the remote are, and nothing before the first sync', () => {
    expect(standing(remote('origin', null, null))).toBeNull();
    expect(standing(remote('origin', 0, 0))).toBe('in step');
    expect(standing(remote('origin', 2, 0))).toBe('2 to send');
    expect(standing(remote('origin', 1, 3))).toBe('1 to send · 3 to take in');
  });

  it('words each outcome with the numbers of commits', () => {
    const base = { remote: 'origin', head: 'h', merge: null, incoming: 1, outgoing: 2, retries: 0 };
    expect(outcomeMessage({ ...base, action: 'up-to-date' })).toBe('Already in step with origin.');
    expect(outcomeMessage({ ...base, action: 'fast-forward' })).toBe('Took in 1 commit from origin.');
    expect(outcomeMessage({ ...base, action: 'pushed' })).toBe('Sent 2 commits to origin.');
    expect(outcomeMessage({ ...base, action: 'merged', merge: 'm' })).toContain('signed sync merge');
  });
});

describe('the background fetch', () => {
  it('is off until the member turns it on, and the choice is remembered', () => {
    const kept = new Map<string, string>();
    const storage = {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
      removeItem: (k: string) => void kept.delete(k),
    };
    expect(autoFetchChosen(storage)).toBe(false);
    chooseAutoFetch(storage, true);
    expect(autoFetchChosen(storage)).toBe(true);
    chooseAutoFetch(storage, false);
    expect(autoFetchChosen(storage)).toBe(false);
    expect(autoFetchChosen(undefined)).toBe(false);
  });
});

describe('refusalReason', () => {
  it('says in plain words why a remote stands refused, by code', () => {
    expect(refusalReason('incoming-breach')).toBe('holds new commits that break the rules');
    expect(refusalReason('remote-rewritten')).toMatch(/history was rewritten/);
    expect(refusalReason('something-new')).toBe('was refused');
  });
});

describe('refusedFor', () => {
  it('is true only of the refusals the Verify screen lists', () => {
    expect(refusedFor('incoming-breach')).toBe(true);
    expect(refusedFor('remote-rewritten')).toBe(true);
    expect(refusedFor('sync-conflict')).toBe(false);
    expect(refusedFor('remote-unreachable')).toBe(false);
  });
});
