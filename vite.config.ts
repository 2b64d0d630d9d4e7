import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Cross-origin isolation: with these two headers the page gets SharedArrayBuffer, so the CPU backend can split
 * large matrix products across helper threads (engine/backends/cpu/simd/threads). Everything the app loads is
 * same-origin, so require-corp blocks nothing. A static host of the build must send the same two headers (README). */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, strictPort: true, headers: ISOLATION },
  preview: { port: 4173, strictPort: true, headers: ISOLATION },
});
