/**
 * The doctor's reminder as a stand-alone script: dist/reminder.js (IIFE, global `preauditReminder`,
 * for `<script src="/console/reminder.js">` in a B/S HIS page) and dist/reminder.mjs (the npm entry).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: {
      entry: 'src/reminder/index.ts',
      name: 'preauditReminder',
      formats: ['iife', 'es'],
      fileName: (format) => (format === 'es' ? 'reminder.mjs' : 'reminder.js'),
    },
  },
});
