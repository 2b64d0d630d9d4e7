// Where the WebGPU entry point comes from: navigator.gpu in a browser or worker; in Node, the process-wide Dawn
// object from engine/node/gpu.ts, imported lazily through a variable path so browser bundles never include it.

export async function defaultGpu(): Promise<GPU | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return undefined;
  const path = '../../node/gpu';
  const mod = (await import(/* @vite-ignore */ path)) as { getNodeGpu(): GPU };
  return mod.getNodeGpu();
}
