import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Hashed file names under /assets/ (served immutable); index.html is the only unhashed file. `npx vite` serves
// the sources with the API of a running vibeD (VIBED_URL, default http://localhost:8080) behind the same origin.
const api = process.env.VIBED_URL || 'http://localhost:8080';

export default defineConfig({
  plugins: [preact()],
  build: { assetsDir: 'assets', target: 'es2020', sourcemap: false },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/v1': api,
      '/auth': api,
    },
  },
});
