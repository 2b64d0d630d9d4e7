// Getting the packed MNIST bytes in the browser (the engine worker): a streamed fetch with progress, relying on
// the HTTP cache for repeat visits, and a Cache Storage copy to fall back on when the network fails (offline).
// Nothing here parses the file (mnist.ts does) or keeps it (the host caches the parsed pack once per worker).

import { MNIST_HEADER_BYTES, packBytes } from './mnist';

/** loaded and total in bytes; total is 0 while unknown. */
export type DataProgress = (loaded: number, total: number, done: boolean) => void;

const CACHE_NAME = 'gradient-atlas-data-v1';

/** Where the app serves the pack: Vite's base URL (defined in worker bundles too; absent under tsx). */
export function mnistUrl(): string {
  const base = import.meta.env?.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}data/mnist.bin`;
}

export async function fetchMnistBytes(url: string = mnistUrl(), onProgress?: DataProgress): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await streamed(url, onProgress);
  } catch (e) {
    const cached = await fromCache(url);
    if (cached === null) throw new Error(`could not load the MNIST digits from ${url}: ${errorText(e)}`);
    onProgress?.(cached.length, cached.length, true);
    return cached;
  }
  void toCache(url, bytes);
  return bytes;
}

async function streamed(url: string, onProgress?: DataProgress): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  // Content-Length is the compressed size when the server gzips; the pack's own header gives the true total.
  let total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body?.getReader();
  if (!reader) {
    const all = new Uint8Array(await res.arrayBuffer());
    onProgress?.(all.length, all.length, true);
    return all;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let last = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (chunks.length === 1 || loaded - value.length < MNIST_HEADER_BYTES) total = headerTotal(chunks) ?? total;
    const now = Date.now();
    if (onProgress && now - last > 50) {
      last = now;
      onProgress(loaded, Math.max(total, loaded), false);
    }
  }
  const all = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  onProgress?.(loaded, loaded, true);
  return all;
}

function headerTotal(chunks: Uint8Array[]): number | null {
  const head = new Uint8Array(MNIST_HEADER_BYTES);
  let at = 0;
  for (const c of chunks) {
    if (at >= MNIST_HEADER_BYTES) break;
    const part = c.subarray(0, MNIST_HEADER_BYTES - at);
    head.set(part, at);
    at += part.length;
  }
  return at < MNIST_HEADER_BYTES ? null : packBytes(head);
}

async function fromCache(url: string): Promise<Uint8Array | null> {
  try {
    if (typeof caches === 'undefined') return null;
    const hit = await (await caches.open(CACHE_NAME)).match(url);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch {
    return null; // Cache Storage can be unavailable (opaque origins, private modes): the fallback just is not there
  }
}

async function toCache(url: string, bytes: Uint8Array): Promise<void> {
  try {
    if (typeof caches === 'undefined') return;
    await (await caches.open(CACHE_NAME)).put(url, new Response(bytes.slice().buffer));
  } catch {
    // best effort: a full or unavailable Cache Storage only loses the offline fallback
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
