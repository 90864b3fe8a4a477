import { defineConfig } from 'vite'

// Browser tests drive Debian's Chromium against a real bridge, so they run in Node, one file at a time.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: { include: ['test/browser/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
})
