// The one place that asks what the environment can do; everything else imports these answers.

/** Running under Node.js (the CLI, tests, benchmarks) rather than in a browser or worker. */
export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions.node !== undefined;

/** WASM threads need SharedArrayBuffer, which browsers only grant to cross-origin isolated pages. */
export const canUseThreads: boolean = isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

/** What the browser's WebGPU adapter is, if it has one. */
export interface WebGpuAdapter {
  /** vendor / architecture / description, as the adapter reports them. */
  name: string;
  /** A CPU rasterizer posing as a GPU (SwiftShader, llvmpipe, WARP): 25-50x slower than WASM here. */
  software: boolean;
  /** It computes in float16 (the `shader-f16` feature): fp16 weights run on it. */
  shaderF16: boolean;
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Software renderers by the names their adapters report (Chromium's SwiftShader, Mesa, Windows WARP). */
const softwareNames = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

export function describeAdapter(info: AdapterInfo, isFallbackAdapter = false, features: ReadonlySet<string> = new Set()): WebGpuAdapter {
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((p): p is string => Boolean(p));
  const name = [...new Set(parts)].join(' ') || 'unnamed adapter';
  return { name, software: isFallbackAdapter || info.isFallbackAdapter === true || softwareNames.test(name), shaderF16: features.has('shader-f16') };
}

let webgpuProbe: Promise<WebGpuAdapter | null> | undefined;

/** The WebGPU adapter that can actually be obtained (navigator.gpu alone is not enough), or null. */
export function webGpuAdapter(): Promise<WebGpuAdapter | null> {
  webgpuProbe ??= (async () => {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo; isFallbackAdapter?: boolean; features?: ReadonlySet<string> } | null> } } | undefined)?.gpu;
    if (!gpu) return null;
    try {
      const adapter = await gpu.requestAdapter();
      return adapter ? describeAdapter(adapter.info ?? {}, adapter.isFallbackAdapter, adapter.features) : null;
    } catch {
      return null;
    }
  })();
  return webgpuProbe;
}

export const hasWebGPU = (): Promise<boolean> => webGpuAdapter().then((adapter) => adapter !== null);

/** IndexedDB is there (browser pages and workers): model files are cached in it. Never in Node. */
export const hasIndexedDB: boolean = !isNode && typeof (globalThis as { indexedDB?: unknown }).indexedDB === 'object';

/** The origin the code runs on (page or worker), or null in Node. */
export const ownOrigin: string | null = isNode ? null : ((globalThis as { location?: { origin?: string } }).location?.origin ?? null);
