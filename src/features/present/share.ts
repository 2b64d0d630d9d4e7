// A demo as a link: /present/shared#<payload>, the payload being the demo file's JSON, deflated when the browser can
// (CompressionStream) and base64url-encoded, with a one-letter tag saying which. The hash never reaches a server. A
// damaged or tampered link is read to a sentence, and what it decodes to goes through the demo validator.
import type { DemoSource } from './demoModel';

export const SHARED_ID = 'shared';
const MAX_PAYLOAD = 400_000;

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it holds characters a demo link never has');
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export async function encodeDemoLink(source: DemoSource): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(source));
  if (typeof CompressionStream === 'function')
    return `z${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
  return `j${toBase64Url(json)}`;
}

/** The demo object a link's hash holds, or why it cannot be read. */
export async function decodeDemoLink(
  hash: string,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const payload = hash.replace(/^#/, '');
  if (!payload) return { ok: false, error: 'The link has no demo in it: it ends where the demo should begin.' };
  if (payload.length > MAX_PAYLOAD) return { ok: false, error: 'The link is far longer than any demo needs.' };
  try {
    const tag = payload[0];
    let bytes = fromBase64Url(payload.slice(1));
    if (tag === 'z') {
      if (typeof DecompressionStream !== 'function') throw new Error('this browser cannot unpack compressed links');
      bytes = await pipe(bytes, new DecompressionStream('deflate-raw'));
    } else if (tag !== 'j') throw new Error('it does not start the way a demo link does');
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown };
  } catch (e) {
    const why = e instanceof Error && !/^(Failed|The|Unexpected|Invalid)/.test(e.message) ? ` (${e.message})` : '';
    return {
      ok: false,
      error: `This demo link is damaged or incomplete${why}. Ask for the link again, or for the demo as a file.`,
    };
  }
}
