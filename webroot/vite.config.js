import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Three pages: landing (sign in, my rooms, join by invite), the table, the GM's admin panel.
// The node serves the built client from the jar; `npm run dev` proxies the API to a local node.
export default defineConfig({
  // DOM components are Svelte 5 (docs/adr/0013); the map stays PixiJS.
  plugins: [svelte()],
  define: { global: 'globalThis' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // scripts/check-budget.mjs reads it to weigh the table page's first load.
    manifest: true,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        table: resolve(import.meta.dirname, 'table.html'),
        admin: resolve(import.meta.dirname, 'admin.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
      '/metrics': 'http://127.0.0.1:8080',
    },
  },
});
