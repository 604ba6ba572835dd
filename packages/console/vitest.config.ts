/**
 * Unit and component tests (src/**, happy-dom where a file asks for it) and the browser suite
 * (e2e/**: the real service, a generated hospital and Debian's chromium through playwright-core).
 */
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
