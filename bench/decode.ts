// npm run bench [-- --json] [-- --model DIR] [-- --windows N] [-- --seqs 128,256,512]
// npm run bench -- --readback DIR [--seqs 256] [--steps 3]: one step of a full-logits (Hub) masked LM in
//   headless Chromium, the full logits read back against the masked rows summarized on the device, and
//   the transformers.js way beside them (AutoModelForMaskedLM and its user's own unmasking loop, same
//   model, backend and ONNX Runtime): ms and bytes read back per step (make a ModernBERT-base-shaped DIR
//   with make_hub_fixtures.py).
// npm run bench -- --sweep [--seqs 256] [--windows 8] [--set-default [--avoid-repeats]]: forward passes and
//   top-1 of every parallel-decoding rule against one token per step, with scattered and with span masks,
//   in Node (WASM), and the default threshold they support; --set-default writes it into the model's
//   config.json (`remask_decoding`), as models/build.sh does for the embedded model, with the repeat
//   guard on when --avoid-repeats is given (what the guard does is measured by `npm run eval:infill`).
// Decoding speed of our loop against the naive one, in the same run on the same backend: in Node
// (WASM) and in headless Chromium (WASM and WebGPU), at each sequence length with 25% masked, on
// held-out text; plus the browser's model load time, cold (network into IndexedDB) and warm, and the app's
// page-ready time on WASM, cold (a fresh profile) and warm (a reload).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDecode, benchWindows, chooseDecoding, defaultTolerance, maskings, sweepDecode, sweepStrategies, type BenchRun, type ReadBackRun, type SweepRow } from './decode-bench';
import { defaultQuantization, embeddedModelName } from '../src/model/embedded';
import { Engine } from '../src/model/engine';
import type { PackageCommitRule } from '../src/model/package';
import type { Page } from 'playwright-core';
import { launchChromium } from '../scripts/chromium';
import { serveStatic } from '../scripts/static-server';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean' },
    sweep: { type: 'boolean' },
    'set-default': { type: 'boolean' },
    'avoid-repeats': { type: 'boolean' },
    readback: { type: 'string' },
    steps: { type: 'string', default: '3' },
    model: { type: 'string', default: `${root}models/${embeddedModelName}` },
    windows: { type: 'string', default: '2' },
    seqs: { type: 'string', default: '128,256,512' },
    backends: { type: 'string', default: 'wasm-node,wasm-browser,webgpu-browser' },
  },
});
const seqs = flags.seqs.split(',').map(Number);
const windows = Number(flags.windows);
const backends = flags.backends.split(',');
const heldoutPath = `${root}models/heldout-sample.txt`;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function nodeRuns(): Promise<BenchRun[]> {
  const engine = await Engine.load({ model: flags.model, quantization: defaultQuantization('wasm'), backend: 'wasm' });
  const text = readFileSync(heldoutPath, 'utf8');
  const runs: BenchRun[] = [];
  for (const seq of seqs) {
    log(`wasm-node, ${seq} tokens...`);
    runs.push(await benchDecode(engine, 'wasm-node', benchWindows(engine, text, seq, windows), seq));
    log(JSON.stringify(runs.at(-1)));
  }
  await engine.dispose();
  return runs;
}

/**
 * The bench page in headless Chromium, once per browser backend asked for (each in a fresh profile), with
 * `model` and the held-out text served from another origin, as a Hub model would be: so the engine
 * caches the model in IndexedDB.
 */
async function onBenchPage(model: string, each: (tab: Page, backend: 'wasm' | 'webgpu', urls: { model: string; heldout: string }) => Promise<void>): Promise<void> {
  const page = await serveStatic({ '/': `${root}dist-bench` });
  const host = await serveStatic({ '/model/': model, '/heldout.txt': heldoutPath }, { cors: true });
  const browser = await launchChromium();
  try {
    for (const name of backends.filter((b) => b.endsWith('-browser'))) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      tab.on('pageerror', (error) => log(`[page] ${error.message}`));
      await tab.goto(`${page.url}/`);
      await each(tab, name.replace('-browser', '') as 'wasm' | 'webgpu', { model: `${host.url}/model/`, heldout: `${host.url}/heldout.txt` });
      await context.close();
    }
  } finally {
    await browser.close();
    await page.close();
    await host.close();
  }
}

async function browserRuns(): Promise<{ runs: BenchRun[]; load: { cold: number; warm: number } | null }> {
  const runs: BenchRun[] = [];
  let load: { cold: number; warm: number } | null = null;
  await onBenchPage(flags.model, async (tab, backend, { model, heldout }) => {
    if (backend === 'webgpu') {
      log('load times (cold, then warm from IndexedDB)...');
      const cold = await tab.evaluate((r) => window.timeLoad(r), { backend, model });
      const warm = await tab.evaluate((r) => window.timeLoad(r), { backend, model });
      load = { cold, warm };
      log(JSON.stringify({ load_ms: load }));
    }
    for (const seq of seqs) {
      log(`${backend}-browser, ${seq} tokens...`);
      runs.push(...(await tab.evaluate((r) => window.runBench(r), { backend, model, heldout, seqs: [seq], windows })));
      log(JSON.stringify(runs.at(-1)));
    }
  });
  return { runs, load };
}

/**
 * The built app (dist/) from navigation to ready on WASM: the embedded model loaded, compiled and warmed
 * up, which the header shows by naming the backend. Cold in a fresh profile (every file over the
 * network), then warm: the median of three reloads (the service worker's and the browser's copies).
 */
async function pageReady(): Promise<{ cold: number; warm: number }> {
  const app = await serveStatic({ '/': `${root}dist` });
  const browser = await launchChromium();
  try {
    const tab = await (await browser.newContext()).newPage();
    tab.on('pageerror', (error) => log(`[page] ${error.message}`));
    const ready = async () => {
      await tab.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'WASM', null, { timeout: 120_000 });
      return tab.evaluate(() => performance.now());
    };
    await tab.goto(`${app.url}/?backend=wasm`);
    const cold = await ready();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      await tab.reload();
      warm.push(await ready());
    }
    return { cold, warm: warm.sort((a, b) => a - b)[1] };
  } finally {
    await browser.close();
    await app.close();
  }
}

async function sweep(): Promise<void> {
  const engine = await Engine.load({ model: flags.model, quantization: defaultQuantization('wasm'), backend: 'wasm' });
  const text = readFileSync(heldoutPath, 'utf8');
  const result: Record<number, SweepRow[]> = {};
  for (const seq of seqs) {
    result[seq] = [];
    for (const masking of maskings) {
      log(`sweep at ${seq} tokens, ${masking} masks...`);
      result[seq].push(...(await sweepDecode(engine, benchWindows(engine, text, seq, windows), masking, (row) => log(JSON.stringify(row)))));
    }
  }
  await engine.dispose();
  const chosen = chooseDecoding(Object.values(result).flat());
  if (flags['set-default']) setDefaultDecoding(chosen, flags['avoid-repeats'] ?? false);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ sweep: result, windows, decoding: chosen })}\n`);
    return;
  }
  console.log(`| seq | rule | ${maskings.map((m) => `forward passes (${m}) | top-1 (${m}) | repeats (${m})`).join(' | ')} |`);
  console.log(`| ---: | --- |${' ---: | ---: | ---: |'.repeat(maskings.length)}`);
  for (const [seq, rows] of Object.entries(result)) {
    for (const { name } of sweepStrategies) {
      const cells = maskings
        .map((m) => rows.find((r) => r.strategy === name && r.masking === m)!)
        .map((r) => `${r.nfe.toFixed(1)} | ${r.top1.toFixed(3)} | ${r.repeats.toFixed(3)}`);
      console.log(`| ${seq} | ${name} | ${cells.join(' | ')} |`);
    }
  }
  const within = `within ${defaultTolerance * 100} point of one token per step in top-1 and repeats under every masking`;
  console.log(chosen === null ? `\nNo threshold stays ${within}.` : `\nDefault: ${JSON.stringify(chosen)}, the fewest forward passes ${within}.`);
}

/**
 * Write the chosen commit rule and the repeat guard into the package's config.json, or take an old
 * decoding out when no rule holds (a package's decoding always names its threshold).
 */
function setDefaultDecoding(decoding: PackageCommitRule | null, avoidRepeats: boolean): void {
  const path = join(flags.model, 'config.json');
  const { remask_decoding: _old, ...config } = JSON.parse(readFileSync(path, 'utf8'));
  const own = decoding && { remask_decoding: { threshold: decoding.threshold, keep_apart: decoding.keepApart, avoid_repeats: avoidRepeats } };
  if (!decoding && avoidRepeats) log('No threshold holds, so the package gets no remask_decoding, and no repeat guard either.');
  writeFileSync(path, `${JSON.stringify({ ...config, ...own }, null, 2)}\n`);
  log(`${path}: ${own ? JSON.stringify(own) : 'no default decoding'}`);
}

/**
 * benchReadBack in the browser, on each browser backend asked for, at each sequence length, beside the
 * transformers.js peer on the same canvas (bench/peer.ts); both commit one token a step, so their first
 * steps' commits must agree.
 */
async function readBack(dir: string): Promise<void> {
  const runs: Awaited<ReturnType<Window['runReadBack']>>[] = [];
  await onBenchPage(dir, async (tab, backend, { model, heldout }) => {
    for (const seq of seqs) {
      log(`read-back on ${backend}-browser, ${seq} tokens...`);
      runs.push(await tab.evaluate((r) => window.runReadBack(r), { backend, model, heldout, seq, steps: Number(flags.steps) }));
      log(JSON.stringify(runs.at(-1)));
    }
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ readback: runs })}\n`);
    return;
  }
  console.log('| backend | seq | masked | full logits: ms/step | bytes read back/step | summarized on the device: ms/step | bytes read back/step | per masked position | transformers.js: ms/step | bytes read back/step | same commits |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of runs) {
    const same = r.committed.filter((c, i) => c.position === r.peer.committed[i]?.position && c.token === r.peer.committed[i]?.token).length;
    console.log(`| ${r.backend} | ${r.seq} | ${r.masked} | ${r.full_ms_per_step.toFixed(0)} | ${r.full_bytes_per_step.toFixed(0)} | ${r.summary_ms_per_step.toFixed(0)} | ${r.summary_bytes_per_step.toFixed(0)} | ${(r.summary_bytes_per_step / r.masked).toFixed(1)} | ${r.peer.ms_per_step.toFixed(0)} | ${r.peer.bytes_per_step.toFixed(0)} | ${same}/${r.committed.length} |`);
  }
}

if (flags.sweep) {
  await sweep();
  process.exit(0);
}
if (flags.readback) {
  await readBack(flags.readback);
  process.exit(0);
}

const runs: BenchRun[] = backends.includes('wasm-node') ? await nodeRuns() : [];
const browser = backends.some((b) => b.endsWith('-browser')) ? await browserRuns() : { runs: [], load: null };
runs.push(...browser.runs);
const result = { runs, load_ms: browser.load, page_ready_ms: backends.includes('wasm-browser') ? await pageReady() : null };

if (flags.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const fmt = (x: number, digits = 2) => x.toFixed(digits);
  console.log('| backend | seq | naive ms/token | ms/token | speedup | read-back B/masked pos | forward passes (one token per step) | (threshold) | top-1 (one token per step) | (threshold) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of runs) {
    console.log(`| ${r.backend} | ${r.seq} | ${fmt(r.naive_ms_per_token)} | ${fmt(r.ms_per_token)} | ${fmt(r.speedup, 1)}x | ${fmt(r.readback_bytes_per_masked_pos, 0)} | ${fmt(r.nfe, 1)} | ${fmt(r.nfe_threshold, 1)} | ${fmt(r.top1, 3)} | ${fmt(r.top1_threshold, 3)} |`);
  }
  if (result.load_ms) console.log(`\nmodel load in the browser: cold ${fmt(result.load_ms.cold, 0)} ms, warm ${fmt(result.load_ms.warm, 0)} ms`);
  const ready = result.page_ready_ms;
  if (ready) console.log(`app page-ready on WASM: cold ${fmt(ready.cold, 0)} ms, warm ${fmt(ready.warm, 0)} ms (the aim: under 1500 ms warm)`);
}
