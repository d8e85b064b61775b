// The infill page decodes in a real browser, in the engine worker, on WebGPU and on WASM alike.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, root } from './app';
import { launchChromium } from '../../scripts/chromium';
import { serveStatic, type StaticServer } from '../../scripts/static-server';

const text = 'The [MASK] sat on the [MASK] and [MASK] [MASK] at the door.';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function decodeOnPage(backend: 'webgpu' | 'wasm', model = fixture, quant = 'fp32', input = text): Promise<{ page: Page; result: string; consoleErrors: string[] }> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${server.url}/?model=${encodeURIComponent(model)}&backend=${backend}&quant=${quant}`);
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 60_000 }).toBe(backend === 'webgpu' ? 'WebGPU' : 'WASM');
  await page.getByRole('link', { name: 'Playground' }).click();
  await page.getByLabel('Text', { exact: true }).fill(input);
  await page.getByRole('spinbutton', { name: 'Steps' }).fill('4');
  await page.getByRole('button', { name: 'Decode' }).click();
  const result = page.getByTestId('result');
  await expect.poll(() => result.textContent(), { timeout: 60_000 }).not.toBe('');
  return { page, result: (await result.textContent()) ?? '', consoleErrors };
}

describe('the Playground in headless Chromium', () => {
  it('reports a WebGPU adapter (SwiftShader) so the WebGPU path is really tested', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return gpu ? (await gpu.requestAdapter()) !== null : false;
    });
    expect(adapter).toBe(true);
    await page.close();
  });

  it('decodes the same tokens with greedy decoding on WebGPU, on WASM and in Node', async () => {
    const webgpu = await decodeOnPage('webgpu');
    const wasm = await decodeOnPage('wasm');
    expect(webgpu.result).not.toContain('[MASK]');
    expect(webgpu.result).toBe(wasm.result);
    // ONNX Runtime's notes on which nodes run where are not errors: the console stays clean of them.
    expect([...webgpu.consoleErrors, ...wasm.consoleErrors].filter((e) => /execution provider|assigned/i.test(e))).toEqual([]);

    const cli = JSON.parse(
      execFileSync('node', ['bin/remask.mjs', 'infill', '--model', `${root}test/fixtures/tiny-model`, '--quant', 'fp32', '--steps', '4', '--text', text, '--json'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { text: string };
    expect(cli.text).toBe(wasm.result);
    await webgpu.page.close();
    await wasm.page.close();
  });

  // test/fixtures/hub (models/pipeline/make_hub_fixtures.py): full-logit graphs as transformers exports
  // them, BERT's with token_type_ids; four masks, decoded in four steps.
  async function hubOnBothBackends(family: string, quant: string): Promise<{ webgpu: string; wasm: string; torch: string }> {
    const reference = JSON.parse(readFileSync(`${root}test/fixtures/hub/${family}/reference.json`, 'utf8')) as { text: string; greedy: { text: string } };
    const webgpu = await decodeOnPage('webgpu', `/fixtures/hub/${family}/`, quant, reference.text);
    const wasm = await decodeOnPage('wasm', `/fixtures/hub/${family}/`, quant, reference.text);
    await webgpu.page.close();
    await wasm.page.close();
    return { webgpu: webgpu.result, wasm: wasm.result, torch: reference.greedy.text };
  }

  // The browser bundles onnxruntime-web's native WebGPU build (scripts/local-assets.ts): the default
  // JSEP build's WebGPU provider got RoBERTa's position embeddings (position ids computed in the graph
  // from input_ids) and every dynamic-uint8 model_quantized.onnx wrong, logits off by 0.4-0.7.
  it.each(['bert', 'distilbert', 'roberta', 'modernbert'])('decodes the Hub-style %s export to the same greedy tokens on WebGPU, on WASM and in torch', async (family) => {
    const { webgpu, wasm, torch } = await hubOnBothBackends(family, 'fp32');
    expect(webgpu).toBe(wasm);
    expect(wasm).toBe(torch);
  });

  // Torch's greedy tokens are fp32's: a uint8 graph is held only to the same tokens on both backends.
  it.each(['bert', 'distilbert', 'roberta', 'modernbert'])('decodes the Hub-style %s export quantized to uint8 to the same greedy tokens on WebGPU and on WASM', async (family) => {
    const { webgpu, wasm } = await hubOnBothBackends(family, 'int8');
    expect(webgpu).toBe(wasm);
  });

  // Hub fp16 files come two ways: float32 logits at the graph's edge (transformers.js's script: modernbert)
  // or float16 logits (optimum: bert). WASM runs both; SwiftShader has no shader-f16, so WebGPU refuses.
  it.each(['bert', 'modernbert'])('decodes the Hub-style %s export in fp16 on WASM, and on a GPU without shader-f16 says what to do', async (family) => {
    const reference = JSON.parse(readFileSync(`${root}test/fixtures/hub/${family}/reference.json`, 'utf8')) as { text: string };
    const wasm = await decodeOnPage('wasm', `/fixtures/hub/${family}/`, 'fp16', reference.text);
    expect(wasm.result).not.toContain('[MASK]');
    expect(wasm.consoleErrors).toEqual([]);
    await wasm.page.close();
    const page = await browser.newPage();
    await page.goto(`${server.url}/?model=${encodeURIComponent(`/fixtures/hub/${family}/`)}&backend=webgpu&quant=fp16`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 }).toMatch(/fp16 weights need a GPU with the shader-f16 feature.*set Weights to fp32 or int8, or run on WASM/s);
    await page.close();
  });

  it('shows what to do when the model cannot be found', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?model=${encodeURIComponent('/fixtures/no-such-model/')}&backend=wasm`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/config\.json.*HTTP 404.*model package is a folder/s);
    await page.close();
  });
});
