/**
 * The Vitest environment of the UI's tests: Node (no DOM), with modules compiled as for the
 * browser. With `resolve.conditions: ['browser']` (vite.config.ts) tests get Svelte's client
 * runtime, so `$effect`, `$effect.root` and `flushSync` in stores work as they do in the app.
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
