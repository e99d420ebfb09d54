import { defineConfig } from 'vitest/config';
import { watPlugin } from './scripts/vite-wat.ts';

export default defineConfig({
  // The kernels' WebAssembly text, assembled when a test imports it (src/lib/kernels).
  plugins: [watPlugin()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
