// The read-back benchmark's page (dist-bench/) in headless Chromium: a Hub graph's step read back in full
// and summarized on the device, beside the transformers.js peer on the same canvas and backend.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './app';
import { launchChromium } from '../../scripts/chromium';
import { serveStatic, type StaticServer } from '../../scripts/static-server';

let page: StaticServer;
let host: StaticServer;
let browser: Browser;

beforeAll(async () => {
  page = await serveStatic({ '/': `${root}dist-bench` });
  // The model from another origin, as a Hub model is.
  host = await serveStatic({ '/model/': `${root}test/fixtures/hub/modernbert`, '/heldout.txt': `${root}models/heldout-sample.txt` }, { cors: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await host?.close();
});

describe('the read-back benchmark in headless Chromium', () => {
  for (const backend of ['webgpu', 'wasm'] as const) {
    it(`commits what transformers.js commits, one token a step, on ${backend}`, async () => {
      const tab = await browser.newPage();
      tab.on('pageerror', (error) => console.error(`[page] ${error.message}`));
      await tab.goto(`${page.url}/`);
      const seq = 64;
      const run = await tab.evaluate((r) => window.runReadBack(r), { backend, model: `${host.url}/model/`, heldout: `${host.url}/heldout.txt`, seq, steps: 2 });
      await tab.close();
      expect(run.committed).toHaveLength(2);
      expect(run.peer.committed).toEqual(run.committed);
      if (backend === 'webgpu') {
        const logits = seq * 960 * 4; // the fixture's vocabulary
        expect([run.full_bytes_per_step, run.peer.bytes_per_step]).toEqual([logits, logits]);
        expect(run.summary_bytes_per_step).toBe(16 * run.masked);
      } else {
        expect([run.full_bytes_per_step, run.summary_bytes_per_step, run.peer.bytes_per_step]).toEqual([0, 0, 0]);
      }
    });
  }
});
