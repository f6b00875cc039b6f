import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The platform in development (`npm start` at the repo root); override with TONGBAN_DEV_API.
const api = process.env['TONGBAN_DEV_API'] ?? 'http://localhost:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: { '/api': api, '/portal': api, '/oidc': api },
  },
  preview: {
    proxy: { '/api': api, '/portal': api, '/oidc': api },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // scripts/budget.ts reads it to find the JavaScript index.html loads before any lazy chunk.
    manifest: true,
    target: 'es2022',
  },
});
