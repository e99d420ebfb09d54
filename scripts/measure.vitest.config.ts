import { defineConfig } from 'vitest/config';

/** Measurements that train for minutes (not tests): `npx vitest run -c scripts/measure.vitest.config.ts`. */
export default defineConfig({
  test: { include: ['scripts/**/*.measure.ts'], environment: 'node', testTimeout: 3_600_000, reporters: ['dot'] },
});
