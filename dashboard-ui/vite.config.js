import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Hashed file names under /assets/ (served immutable); index.html is the only unhashed file.
export default defineConfig({
  plugins: [preact()],
  build: { assetsDir: 'assets', target: 'es2020', sourcemap: false },
});
