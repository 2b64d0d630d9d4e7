// Compute pipelines cached by their full WGSL source, with an explicit layout built from the binding list.
// Set ATLAS_DEBUG=wgsl (env in Node, or globalThis.ATLAS_DEBUG in a worker) to print every new pipeline's WGSL.
import { type Binding, layoutEntries, shaderSource } from './shader';

export interface CachedPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  source: string;
}

function debugFlags(): string {
  const g = globalThis as { ATLAS_DEBUG?: string; process?: { env?: Record<string, string | undefined> } };
  return g.ATLAS_DEBUG ?? g.process?.env?.ATLAS_DEBUG ?? '';
}

export const debugWgsl = (): boolean => /\bwgsl\b/.test(debugFlags());

export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<CachedPipeline>>();
  compiled = 0;

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  /** The pipeline for this shader; compiled once per distinct source. Rejects with the WGSL compiler messages. */
  get(label: string, bindings: readonly Binding[], body: string): Promise<CachedPipeline> {
    const source = shaderSource(bindings, body);
    let p = this.pipelines.get(source);
    if (!p) {
      p = this.compile(label, bindings, source);
      this.pipelines.set(source, p);
    }
    return p;
  }

  private async compile(label: string, bindings: readonly Binding[], source: string): Promise<CachedPipeline> {
    if (debugWgsl()) console.log(`// ---- WGSL pipeline: ${label}\n${source}\n`);
    const device = this.device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label, code: source });
    const layout = device.createBindGroupLayout({ label, entries: layoutEntries(bindings) });
    const pipelineLayout = device.createPipelineLayout({ label, bindGroupLayouts: [layout] });
    let pipeline: GPUComputePipeline | undefined;
    let failure: unknown;
    try {
      pipeline = await device.createComputePipelineAsync({
        label,
        layout: pipelineLayout,
        compute: { module, entryPoint: 'main' },
      });
    } catch (e) {
      failure = e;
    }
    const err = await device.popErrorScope();
    if (failure || err || !pipeline) {
      const info = await module.getCompilationInfo();
      const msgs = info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
      const why = err?.message ?? (failure instanceof Error ? failure.message : String(failure));
      throw new Error(`WGSL pipeline "${label}" failed: ${why}\n${msgs}\n${numbered(source)}`);
    }
    this.compiled++;
    return { pipeline, layout, source };
  }
}

function numbered(source: string): string {
  return source
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)}: ${l}`)
    .join('\n');
}
