// The README's pictures (docs/screenshots/*.png), taken on purpose by `npm run screenshots`: each view with
// the model Remask ships, as a visitor opens it, on realistic content. An ordinary end-to-end run skips
// this file; it would otherwise rewrite the committed pictures each time. The checks of each view are in
// its own test file, on the fixture model; here the page is only waited for. The target LLM of the
// Optimize run is the scripted test server (a test double on 127.0.0.1), so no key or network is needed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/openai-test-server';
import { modelReady, openApp, root, screenshot, view } from './app';
import { launchChromium } from '../../scripts/chromium';
import { serveStatic, type StaticServer } from '../../scripts/static-server';

/** The shipped model on the CPU decodes and rewrites more slowly than the fixture: a run takes minutes. */
const timeout = 600_000;

let server: StaticServer;
let llm: TestServer;
let browser: Browser;

describe.runIf(process.env.REMASK_SCREENSHOTS)('the README screenshots, with the shipped model', () => {
  beforeAll(async () => {
    server = await serveStatic({ '/': `${root}dist` });
    // Labels complaints right only for prompts of even length, else always "positive": the candidates score differently.
    llm = await startTestServer(({ system, user }) => (system.length % 2 === 0 && /late|damaged|Nobody/.test(user) ? 'negative' : 'positive'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await llm?.close();
    await server?.close();
  });

  const shipped = (options: { hash?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> => openApp(browser, server.url, { model: 'shipped', ...options });

  it('optimize.png and history.png: a run against the target, then History', async () => {
    const page = await shipped();
    await page.getByRole('button', { name: 'Use the example dataset' }).click();
    await page.getByLabel('Provider').selectOption('openai-compatible');
    await page.getByLabel('Model', { exact: true }).fill('scripted');
    await page.getByLabel('Base URL').fill(llm.baseURL);
    await page.getByLabel('Iterations').fill('3');
    await page.getByLabel('Candidates per iteration').fill('2');
    await page.getByLabel('Minibatch size').fill('4');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout }).toBe('finished');
    await expect.poll(() => page.getByRole('heading', { name: /Best prompt: validation score/ }).count()).toBe(1);
    await screenshot(page, 'optimize');

    await page.reload();
    await modelReady(page, 'auto');
    await view(page, 'History');
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'Optimize run' }).count()).toBe(1);
    await screenshot(page, 'history');
    await page.context().close();
  }, timeout);

  it('optimize-suggest.png: rewrites from traces alone, no target', async () => {
    const page = await shipped();
    await page.getByRole('button', { name: 'Add trace' }).click();
    await page.getByLabel('Query 3').fill('Where is my order? I paid for it two weeks ago.');
    await page.getByLabel('Response 3').fill('Negative. We are sorry for the wait.');
    await page.getByLabel('Feedback 3').fill('Give the label alone, in lower case.');
    await page.getByRole('button', { name: 'Suggest rewrites' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Use rewrite/ }).count(), { timeout }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('progressbar', { name: 'Rewriting' }).count(), { timeout }).toBe(0);
    await screenshot(page, 'optimize-suggest');
    await page.context().close();
  }, timeout);

  it('playground.png: two strategies on the same masked sentence', async () => {
    const page = await shipped({ hash: '#/playground' });
    await page.getByLabel('Text', { exact: true }).fill('If the file does not exist, the command [MASK] an [MASK] and exits with a [MASK] [MASK].');
    await page.getByLabel('Compare with a second strategy').check();
    await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('4');
    await page.getByRole('spinbutton', { name: 'Steps (B)' }).fill('4');
    await page.getByRole('combobox', { name: 'Schedule (B)' }).selectOption('cosine');
    await page.getByRole('button', { name: 'Decode' }).click();
    await expect.poll(() => page.getByTestId('result-b').textContent(), { timeout }).not.toBe('');
    await screenshot(page, 'playground');
    await page.context().close();
  }, timeout);

  it('playground-phone.png: the Playground on a phone, its example decoded', async () => {
    const page = await shipped({ hash: '#/playground', viewport: { width: 390, height: 844 } });
    await page.getByRole('button', { name: 'Decode' }).click();
    await expect.poll(() => page.getByTestId('result').textContent(), { timeout }).not.toBe('');
    await screenshot(page, 'playground-phone');
    await page.context().close();
  }, timeout);

  it('models.png: the built-in model in use, and the Hub catalogue', async () => {
    const page = await shipped({ hash: '#/models' });
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'built in' }).textContent()).toMatch(/In use/);
    await expect.poll(() => page.getByRole('region', { name: 'From the Hugging Face Hub' }).getByRole('row').count()).toBeGreaterThan(8);
    await screenshot(page, 'models');
    await page.context().close();
  }, timeout);
});
