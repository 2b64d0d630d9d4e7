import { defineConfig } from 'vitest/config';

// GPU tests load Dawn (a native addon), which mixes badly with worker threads: use forked processes.
export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
