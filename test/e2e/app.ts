// Helpers shared by the app's end-to-end tests: open the built app on a model (the random-weight fixture
// for the tests, the shipped one for the README's pictures), wait for it, move between views, and save a
// screenshot of a view.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = '/fixtures/tiny-model/';
const screenshots = `${root}docs/screenshots`;

export type Backend = 'webgpu' | 'wasm';

/**
 * Which model the page opens on. `fixture`: the tests' tiny random-weight model in fp32 on the backend
 * asked, fast and exact, so assertions can count its tokens. `shipped`: the address without `?model=`, as a
 * visitor opens it: the embedded model, with the backend and quantization the app chooses.
 */
export type AppModel = 'fixture' | 'shipped';

export interface AppOptions {
  model?: AppModel;
  /** Only for the fixture: the shipped model runs where the app puts it. */
  backend?: Backend;
  hash?: string;
}

export function appUrl(base: string, { model = 'fixture', backend = 'wasm', hash = '' }: AppOptions = {}): string {
  if (model === 'shipped') return `${base}/${hash}`;
  return `${base}/?model=${encodeURIComponent(fixture)}&backend=${backend}&quant=fp32${hash}`;
}

/** A new page (its own browser context: fresh storage) at the app, once the model is loaded. */
export async function openApp(browser: Browser, base: string, options: AppOptions & { viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  await page.goto(appUrl(base, options));
  await modelReady(page, options.model === 'shipped' ? 'auto' : options.backend);
  return page;
}

/** The model is loaded on `backend`, or on either backend for `auto` (the shipped model's larger files take longer). */
export async function modelReady(page: Page, backend: Backend | 'auto' = 'wasm'): Promise<void> {
  const backendName = () => page.getByTestId('backend').textContent();
  if (backend === 'auto') await expect.poll(backendName, { timeout: 120_000 }).toMatch(/^(WASM|WebGPU)$/);
  else await expect.poll(backendName, { timeout: 60_000 }).toBe(backend === 'webgpu' ? 'WebGPU' : 'WASM');
}

export async function view(page: Page, name: 'Optimize' | 'Playground' | 'History' | 'Models'): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
}

/** Saves the page, whole, as `docs/screenshots/<name>.png`, a picture in the README. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}
