import { untrack } from 'svelte';
import { session } from './session.svelte';

/**
 * Runs `load` now and again whenever the record may have changed (`main` moved, the acting
 * member changed). Call it while a component initialises. `load` should reload quietly:
 * `Resource` keeps the old value on screen until the new one arrives.
 */
export function live(load: () => void): void {
  $effect(() => {
    void session.version;
    untrack(load);
  });
}
