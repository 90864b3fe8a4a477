import { defineConfig } from 'vite'

// esbuild compiles JSX with the automatic runtime, so no React plugin is needed.
export default defineConfig({
  root: 'src',
  base: '/app/',
  esbuild: { jsx: 'automatic' },
  // The app and Garden must share one React: the root package.json pins React 18 with "overrides".
  resolve: { dedupe: ['react', 'react-dom', 'styled-components'] },
  build: { outDir: '../dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: true },
  test: {
    root: '.',
    include: ['test/**/*.test.tsx', 'test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'jsdom',
    globals: true,
    setupFiles: ['test/setup.ts'],
  },
})
