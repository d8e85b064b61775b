// Helpers shared by the app's end-to-end tests: open the built app on the fixture model, wait for the
// model, move between views, and save a screenshot of a view for the README.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = '/fixtures/tiny-model/';
const screenshots = `${root}docs/screenshots`;

export type Backend = 'webgpu' | 'wasm';

export function appUrl(base: string, backend: Backend = 'wasm', hash = ''): string {
  return `${base}/?model=${encodeURIComponent(fixture)}&backend=${backend}&quant=fp32${hash}`;
}

/** A new page (its own browser context: fresh storage) at the app, once the model is loaded. */
export async function openApp(browser: Browser, base: string, options: { backend?: Backend; hash?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  await page.goto(appUrl(base, options.backend, options.hash));
  await modelReady(page, options.backend);
  return page;
}

export async function modelReady(page: Page, backend: Backend = 'wasm'): Promise<void> {
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 60_000 }).toBe(backend === 'webgpu' ? 'WebGPU' : 'WASM');
}

export async function view(page: Page, name: 'Optimize' | 'Playground' | 'History' | 'Models'): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
}

/**
 * The README's pictures, taken on purpose (`npm run screenshots`), not by every test run: a run would
 * otherwise rewrite the committed files each time.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.REMASK_SCREENSHOTS) return;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}
