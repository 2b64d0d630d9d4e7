// The benchmark page's own Vite config (never part of the app bundle): root scripts/bench/browser, TF.js's .wasm
// binaries served under /wasm/, and cross-origin isolation headers so TF.js wasm may use its threaded build.
// Built and served by scripts/bench/run.ts; for a manual look: `npx vite --config scripts/bench/vite.config.ts`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const wasmDir = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url));
export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const mnistFile = fileURLToPath(new URL('../../public/data/mnist.bin', import.meta.url));

/** The app's packed MNIST at the app's path (/data/mnist.bin), for the bare-engine side of the Lab cases
 * (bare.ts loads the Lab's dataset through the engine host, which fetches it from there). */
function mnistData(): Plugin {
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    if (req.url?.split('?')[0] !== '/data/mnist.bin') return next();
    res.setHeader('Content-Type', 'application/octet-stream');
    for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
    res.end(readFileSync(mnistFile));
  };
  return {
    name: 'bench-mnist-data',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}

function tfjsWasm(): Plugin {
  return {
    name: 'bench-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.startsWith('/wasm/') ? req.url.slice(6).split('?')[0] : '';
        if (!WASM_FILES.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
        res.end(readFileSync(wasmDir + name));
      });
    },
    generateBundle() {
      for (const name of WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: `wasm/${name}`, source: readFileSync(wasmDir + name) });
      }
    },
  };
}

export default defineConfig({
  root: `${here}browser`,
  publicDir: false,
  plugins: [tfjsWasm(), mnistData()],
  build: {
    outDir: `${here}../../node_modules/.cache/bench-page`,
    emptyOutDir: true,
    target: 'es2022',
    // Unminified: TF.js's threaded wasm starts its pthread workers from the factory function's source text, which
    // minification breaks ("e is not defined" in the worker).
    minify: false,
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
  },
  server: { port: 5183, strictPort: false, headers: ISOLATION },
  preview: { port: 4183, strictPort: false, headers: ISOLATION },
  logLevel: 'warn',
});
