/** The console SPA, served by the service under /console/ (the reminder is built by vite.reminder.config.ts). */
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/nhsa': 'http://127.0.0.1:8080' } },
});
