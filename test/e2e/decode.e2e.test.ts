// The infill page decodes in a real browser, in the engine worker, on WebGPU and on WASM alike.
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, root } from './app';
import { launchChromium } from './browser';
import { serveStatic, type StaticServer } from './static-server';

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

async function decodeOnPage(backend: 'webgpu' | 'wasm', model = fixture, quant = 'fp32'): Promise<{ page: Page; result: string; consoleErrors: string[] }> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${server.url}/?model=${encodeURIComponent(model)}&backend=${backend}&quant=${quant}`);
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 60_000 }).toBe(backend === 'webgpu' ? 'WebGPU' : 'WASM');
  await page.getByRole('link', { name: 'Playground' }).click();
  await page.getByLabel('Text', { exact: true }).fill(text);
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

  it('shows what to do when the model cannot be found', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?model=${encodeURIComponent('/fixtures/no-such-model/')}&backend=wasm`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/config\.json.*HTTP 404.*model package is a folder/s);
    await page.close();
  });
});
