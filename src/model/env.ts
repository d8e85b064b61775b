// The one place that asks what the environment can do; everything else imports these answers.

/** Running under Node.js (the CLI, tests, benchmarks) rather than in a browser or worker. */
export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions.node !== undefined;

/** WASM threads need SharedArrayBuffer, which browsers only grant to cross-origin isolated pages. */
export const canUseThreads: boolean = isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

let webgpuProbe: Promise<boolean> | undefined;

/** Whether a WebGPU adapter can actually be obtained (navigator.gpu alone is not enough). */
export function hasWebGPU(): Promise<boolean> {
  webgpuProbe ??= (async () => {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
    if (!gpu) return false;
    try {
      return (await gpu.requestAdapter()) !== null;
    } catch {
      return false;
    }
  })();
  return webgpuProbe;
}

/** IndexedDB is there (browser pages and workers): model files are cached in it. Never in Node. */
export const hasIndexedDB: boolean = !isNode && typeof (globalThis as { indexedDB?: unknown }).indexedDB === 'object';

/** The origin the code runs on (page or worker), or null in Node. */
export const ownOrigin: string | null = isNode ? null : ((globalThis as { location?: { origin?: string } }).location?.origin ?? null);
