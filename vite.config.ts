/**
 * Vite build and dev server for the browser client (client/). The build goes to dist/client, which the API serves.
 * In development the dev server proxies /trpc and the CSV downloads (/exports) to the API on port 3000. changeOrigin
 * stays off on purpose: the API compares the Origin header with the Host header, so the proxied request must keep the
 * browser's Host.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/trpc': { target: 'http://localhost:3000' },
      '/exports': { target: 'http://localhost:3000' },
    },
  },
});
