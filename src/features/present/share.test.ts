// Share links: a demo survives the round trip (deflated and not), and a damaged or tampered link reads to a sentence.
import { describe, expect, it } from 'vitest';
import type { DemoSource } from './demoModel';
import { decodeDemoLink, encodeDemoLink } from './share';

// Only the round trip matters here, not whether the spec validates.
const demo = { id: 'user-x', title: 'Mine', steps: [{ title: 'One', caption: 'c' }] } as DemoSource;

describe('demo links', () => {
  it('round-trips a demo', async () => {
    const link = await encodeDemoLink(demo);
    expect(link[0]).toBe('z');
    expect(await decodeDemoLink(`#${link}`)).toEqual({ ok: true, value: demo });
    const plain = `j${Buffer.from(JSON.stringify(demo)).toString('base64url')}`;
    expect(await decodeDemoLink(plain)).toEqual({ ok: true, value: demo });
  });

  it('says so when a link is damaged', async () => {
    const link = await encodeDemoLink(demo);
    for (const bad of ['', '#', `#${link.slice(0, -6)}`, '#zNOT-A-REAL-DEMO', '#q123', '#j%%%', `#${link}x!`]) {
      const r = await decodeDemoLink(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/link/);
    }
  });
});
