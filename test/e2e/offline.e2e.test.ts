// Models from a Hub-like host (another origin) download with progress into IndexedDB, load from there
// and can be removed; after one visit the app decodes with its server gone (service worker + cache).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelReady, openApp, root, view } from './app';
import { launchChromium } from '../../scripts/chromium';
import { serveStatic, type StaticServer } from '../../scripts/static-server';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function decode(page: Page): Promise<string> {
  await view(page, 'Playground');
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('4');
  await page.getByRole('button', { name: 'Decode' }).click();
  const result = page.getByTestId('result');
  await expect.poll(() => result.textContent(), { timeout: 60_000 }).not.toBe('');
  return (await result.textContent()) ?? '';
}

describe('models and offline use', () => {
  it('downloads a model from another origin with progress, caches it, loads it and removes it', async () => {
    const app = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` });
    const hub = await serveStatic({ '/': `${root}test/fixtures` }, { cors: true });
    try {
      const page = await openApp(browser, app.url);
      await view(page, 'Models');
      // A model that is not there: the error says so, and no file is left "starting…" under it.
      await page.getByLabel('Hub model id or URL').fill(`${hub.url}/no-such-model/`);
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await page.getByText('starting…').count()).toBe(0);
      const source = `${hub.url}/tiny-model/`;
      await page.getByLabel('Hub model id or URL').fill(source);
      await page.getByLabel('Weights').selectOption('fp32');
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/Downloaded/);
      expect(await page.getByText('onnx/model.onnx', { exact: true }).count()).toBe(1);
      const card = page.getByRole('listitem').filter({ hasText: source });
      expect(await card.textContent()).toMatch(/\d+(\.\d)? (KB|MB) in 4 files/);

      await card.getByRole('button', { name: /^Use / }).click();
      await modelReady(page);
      await expect.poll(() => card.textContent()).toMatch(/In use/);
      await card.getByRole('button', { name: /^Remove / }).click();
      await expect.poll(() => page.getByRole('listitem').filter({ hasText: source }).count()).toBe(0);
      // Removing the model in use stops using it: the built-in model is loaded and remembered instead,
      // so the next visit does not download the removed one again.
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'the built-in model is in use again' }).count()).toBe(1);
      await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'built in' }).textContent(), { timeout: 60_000 }).toMatch(/In use/);
      const remembered = await page.evaluate(() => JSON.parse(localStorage.getItem('remask.model') ?? 'null') as { model: string } | null);
      expect(remembered?.model).toMatch(/models\/remask-mini\/$/);
      await page.context().close();
    } finally {
      await hub.close();
      await app.close();
    }
  });

  it('offers the Hub catalogue by size: a large download asks first, a small one downloads (the Hub played by a local route)', async () => {
    const app = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` });
    try {
      const page = await openApp(browser, app.url);
      // No test reaches the internet: the Hub's file URLs are answered with the BERT fixture's files.
      const asked: string[] = [];
      await page.context().route('https://huggingface.co/**', async (route) => {
        const url = new URL(route.request().url());
        asked.push(url.pathname);
        const file = url.pathname.replace(/^\/[^/]+\/[^/]+\/resolve\/main\//, '');
        await route.fulfill({ path: `${root}test/fixtures/hub/bert/${file}`, headers: { 'access-control-allow-origin': '*' } });
      });
      await view(page, 'Models');
      const catalogue = page.getByRole('region', { name: 'From the Hugging Face Hub' });
      await expect.poll(() => catalogue.getByRole('row').count()).toBeGreaterThan(8);

      // 111 MB: the first press only asks; "Not now" leaves it, and nothing was fetched.
      await catalogue.getByRole('button', { name: 'Download Xenova/bert-base-uncased int8' }).click();
      await expect.poll(() => catalogue.getByRole('alert').textContent()).toMatch(/MB to download/);
      await catalogue.getByRole('button', { name: 'Not now' }).click();
      expect(await catalogue.getByRole('alert').count()).toBe(0);
      expect(asked).toEqual([]);

      // 17 MB: downloads at once into the cache, and is offered to use.
      await catalogue.getByRole('button', { name: 'Download jhu-clsp/ettin-encoder-17m int8' }).click();
      await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/Downloaded https:\/\/huggingface\.co\/jhu-clsp\/ettin-encoder-17m\/resolve\/main\/ \(int8\)/);
      expect(asked).toContain('/jhu-clsp/ettin-encoder-17m/resolve/main/onnx/model_quantized.onnx');
      const card = page.getByRole('listitem').filter({ hasText: 'huggingface.co/jhu-clsp/ettin-encoder-17m' });
      await card.getByRole('button', { name: /^Use / }).click();
      await modelReady(page);
      await expect.poll(() => card.textContent()).toMatch(/In use/);
      await page.context().close();
    } finally {
      await app.close();
    }
  });

  it('says so when the browser will not keep a downloaded model (its storage refuses the bytes)', async () => {
    const app = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` });
    const hub = await serveStatic({ '/': `${root}test/fixtures` }, { cors: true });
    try {
      const page = await openApp(browser, app.url);
      // The browser's refusal, as a full disk or a small quota gives it (Chromium's quota override
      // does not reach IndexedDB here): storing this model's bytes fails as the browser fails it, in
      // the engine worker, which downloads and stores.
      const [engineWorker] = page.workers();
      await engineWorker.evaluate(() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
          if (this.name === 'bytes' && String(key).includes('/hub/bert/')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          return put.call(this, value, key);
        };
      });
      await view(page, 'Models');
      await page.getByLabel('Hub model id or URL').fill(`${hub.url}/hub/bert/`);
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 }).toMatch(/was downloaded \(\d+\.\d MB\) but this browser would not keep it \(QuotaExceededError/);
      expect(await page.getByRole('status').count()).toBe(0);
      await page.context().close();
    } finally {
      await hub.close();
      await app.close();
    }
  });

  it('offers a model again after its load is cancelled: in use means loaded', async () => {
    // The built-in model's files come slowly, so its first load is still under way when Cancel is pressed.
    const app = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` }, { delay: { prefix: '/models/', ms: 4000 } });
    try {
      const page = await openApp(browser, app.url);
      await view(page, 'Models');
      const builtIn = page.getByRole('listitem').filter({ hasText: 'built in' });
      await builtIn.getByRole('button', { name: /^Use / }).click();
      await page.getByRole('button', { name: 'Cancel loading' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Cancel loading' }).count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => builtIn.getByRole('button', { name: /^Use / }).isEnabled(), { timeout: 30_000 }).toBe(true);
      expect(await builtIn.textContent()).not.toMatch(/In use/);
      await page.context().close();
    } finally {
      await app.close();
    }
  });

  it('decodes again with the network off after one visit', async () => {
    const app = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` });
    const page = await openApp(browser, app.url);
    await expect.poll(() => page.getByTestId('offline').getAttribute('data-status'), { timeout: 60_000 }).toBe('ready');
    const online = await decode(page);

    await app.close(); // nothing answers on that port any more
    await page.reload();
    await modelReady(page);
    expect(await decode(page)).toBe(online);
    await page.context().close();
  });
});
