import { afterEach, describe, expect, it, vi } from 'vitest';
import { mapLaunch } from './kernels/elementwise';
import { PipelineCache } from './pipelineCache';
import { Scratch, testDevice } from './testing';

describe('pipeline cache', () => {
  afterEach(() => {
    delete (globalThis as { ATLAS_DEBUG?: string }).ATLAS_DEBUG;
    vi.restoreAllMocks();
  });

  it('compiles each distinct WGSL source once', async () => {
    const s = new Scratch(await testDevice());
    const cache = new PipelineCache(s.device);
    const out = s.zeros(8);
    const l1 = mapLaunch({ label: 'a', n: 8, inputs: [], out, expr: '1.0' });
    const l2 = mapLaunch({ label: 'b', n: 8, inputs: [], out, expr: '1.0' });
    const l3 = mapLaunch({ label: 'c', n: 8, inputs: [], out, expr: '2.0' });
    const [p1, p2, p3] = await Promise.all([l1, l2, l3].map((l) => cache.get(l.label, l.bindings, l.body)));
    expect(p1).toBe(p2);
    expect(p3).not.toBe(p1);
    expect(cache.size).toBe(2);
    s.dispose();
  });

  it('prints the WGSL of each new pipeline with ATLAS_DEBUG=wgsl', async () => {
    const s = new Scratch(await testDevice());
    const cache = new PipelineCache(s.device);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    (globalThis as { ATLAS_DEBUG?: string }).ATLAS_DEBUG = 'wgsl';
    const l = mapLaunch({ label: 'debug-me', n: 4, inputs: [], out: s.zeros(4), expr: '3.0' });
    await cache.get(l.label, l.bindings, l.body);
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    expect(printed).toContain('WGSL pipeline: debug-me');
    expect(printed).toContain('@compute');
    s.dispose();
  });

  it('rejects invalid WGSL naming the kernel and the line', async () => {
    const s = new Scratch(await testDevice());
    const cache = new PipelineCache(s.device);
    const l = mapLaunch({ label: 'broken', n: 4, inputs: [], out: s.zeros(4), expr: 'undefinedThing' });
    await expect(cache.get(l.label, l.bindings, l.body)).rejects.toThrow(/broken.*[\s\S]*undefinedThing/);
    s.dispose();
  });
});
