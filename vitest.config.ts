import { defineConfig } from 'vitest/config';
import { watPlugin } from './scripts/vite-wat.ts';

export default defineConfig({
  // The kernels' WebAssembly text, assembled when a test imports it (src/lib/kernels).
  plugins: [watPlugin()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // One module graph for all files in a worker: each file importing tfjs and its backends afresh
    // took 45 of 137 s. Every file sets the backend it needs in its own beforeAll, and the suite
    // passes with its files shuffled (`--sequence.shuffle.files`).
    isolate: false,
  },
});
