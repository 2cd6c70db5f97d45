/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app runs inside Tauri's WebView (WebKitGTK on Linux) under a strict CSP:
// no inline scripts, no network. Relative base so the bundle loads from the app's assets.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  // Tests run in Node, but against Svelte's browser runtime (see src/test/client-environment.ts).
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari15',
    // No inline data: URLs for assets (img-src 'self'); keeps the CSP simple.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['src/**/*.test.ts'],
    // Node, with modules compiled as for the browser: runes in stores (`$effect`, `flushSync`)
    // behave in tests as in the app.
    environment: './src/test/client-environment.ts',
  },
}));
