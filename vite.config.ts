import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is plain web code: the same bundle runs in the Electron window (file://) and in a
// browser served by `candela serve`, hence relative asset paths.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
});
