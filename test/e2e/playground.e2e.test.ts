// The Playground teaches diffusion decoding: masks painted over a selection, two strategies side by
// side on the same text, a step scrubber that replays every step, and the schedule as a plot.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, root, view } from './app';
import { launchChromium } from '../../scripts/chromium';
import { serveStatic, type StaticServer } from '../../scripts/static-server';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures`, '/models/': `${root}models` });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Playground', () => {
  it('paints masks over a selection, compares two strategies and replays every step', async () => {
    const page = await openApp(browser, server.url, { backend: 'webgpu' });
    await view(page, 'Playground');
    const text = page.getByLabel('Text', { exact: true });
    await text.fill('The quick brown fox jumps over the lazy dog near the <b>river</b> bank.');
    // Select "quick brown" and paint it with masks: one per word.
    await text.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(4, 15));
    await page.getByRole('button', { name: 'Mask selection' }).click();
    await expect.poll(() => text.inputValue()).toBe('The [MASK] [MASK] fox jumps over the lazy dog near the <b>river</b> bank.');
    await text.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(37, 45)); // "lazy dog"
    await page.getByRole('button', { name: 'Mask selection' }).click();

    await page.getByLabel('Compare with a second strategy').check();
    await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('4');
    await page.getByRole('spinbutton', { name: 'Steps (B)' }).fill('4');
    await page.getByRole('combobox', { name: 'Schedule (B)' }).selectOption('cosine');
    await page.getByRole('button', { name: 'Decode' }).click();

    const a = page.getByTestId('result');
    const b = page.getByTestId('result-b');
    await expect.poll(() => b.textContent(), { timeout: 60_000 }).not.toBe('');
    expect(await a.textContent()).not.toContain('[MASK]');
    expect(await b.textContent()).not.toContain('[MASK]');
    // The keyboard user keeps their place: the focus is back on Decode, not on the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Decode');

    // User text and model output are text, never HTML.
    expect(await page.locator('section[aria-labelledby="result-label"] b').count()).toBe(0);
    expect(await page.getByLabel('Canvas A at the chosen step').textContent()).toContain('<b>river</b>');

    // The scrubber replays: before the first step every slot is masked, after the last none is.
    const scrubber = page.getByRole('slider', { name: 'Step' });
    await scrubber.fill('0');
    expect(await page.locator('.mask').count()).toBe(8);
    const last = Number(await scrubber.getAttribute('max'));
    expect(last).toBe(4);
    await scrubber.fill('2');
    expect(await page.getByText('after step 2 of 4').count()).toBe(1);
    await scrubber.fill(String(last));
    expect(await page.locator('.mask').count()).toBe(0);
    // Committed tokens carry their confidence, and the plot has a bar per step and side.
    expect(await page.locator('mark.token').first().getAttribute('title')).toMatch(/committed at step \d, confidence \d\.\d\d/);
    // ... and show it without a mouse, for a class watching a projector.
    expect(await page.locator('mark.token sub.conf').first().textContent()).toMatch(/^\d\.\d\d$/);
    expect(await page.getByRole('heading', { name: 'B: Random order, cosine (few first, many last)', exact: true }).count()).toBe(1);
    // A has 4 steps of one token; B's cosine schedule may skip a zero-quota step, so one bar per step it took.
    const bStepsText = (await page.locator('.meta').nth(1).textContent()) ?? '';
    const bSteps = Number(bStepsText.match(/^(\d+) steps/)?.[1]);
    expect(await page.getByRole('img', { name: /Tokens committed per step/ }).locator('rect').count()).toBe(4 + bSteps);

    // Fast-dLLM's threshold rule instead of the schedule: at threshold 0 every mask passes, so one step.
    await page.getByRole('combobox', { name: 'Commit per step', exact: true }).selectOption('threshold');
    const threshold = page.getByRole('spinbutton', { name: 'Threshold', exact: true });
    expect(await threshold.inputValue()).toBe('0.9'); // the fixture's package sets no threshold of its own: Fast-dLLM's
    await threshold.fill('0');
    await page.getByRole('button', { name: 'Decode' }).click();
    await expect.poll(async () => (await page.locator('.meta').first().textContent()) ?? '', { timeout: 60_000 }).toMatch(/^1 steps?\b/);
    expect(await a.textContent()).not.toContain('[MASK]');
    // Neighbours kept apart: each of the two pairs of neighbouring masks takes two steps.
    await page.getByRole('checkbox', { name: 'Keep neighbours apart', exact: true }).check();
    await page.getByRole('button', { name: 'Decode' }).click();
    await expect.poll(async () => (await page.locator('.meta').first().textContent()) ?? '', { timeout: 60_000 }).toMatch(/^2 steps\b/);
    expect(await a.textContent()).not.toContain('[MASK]');
    // A threshold decides each step's count: the Schedule field, which would do nothing, is hidden, and
    // the side's title names the rule used.
    expect(await page.getByRole('combobox', { name: 'Schedule', exact: true }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'A: Most probable first (low-confidence remasking), threshold 0, neighbours apart', exact: true }).count()).toBe(1);
    // The repeat guard works under any rule, and the title says it is on.
    await page.getByRole('checkbox', { name: 'Avoid repeats', exact: true }).check();
    await page.getByRole('button', { name: 'Decode' }).click();
    const guarded = 'A: Most probable first (low-confidence remasking), threshold 0, neighbours apart, no repeats';
    await expect.poll(() => page.getByRole('heading', { name: guarded, exact: true }).count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(async () => (await page.locator('.meta').first().textContent()) ?? '', { timeout: 60_000 }).toMatch(/^2 steps\b/);
    expect(await a.textContent()).not.toContain('[MASK]');

    // More steps than masks: the page says why it took fewer.
    await page.getByRole('combobox', { name: 'Commit per step', exact: true }).selectOption('schedule');
    await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('12');
    await page.getByRole('button', { name: 'Decode' }).click();
    await expect.poll(() => page.getByTestId('steps-note').textContent(), { timeout: 60_000 }).toBe('12 steps asked, 4 masks: 4 steps, as each step writes at least one token.');

    // The session is in History.
    await view(page, 'History');
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'Playground' }).count()).toBe(1);
    await page.context().close();
  });

  it('fits a phone screen', async () => {
    const page = await openApp(browser, server.url, { viewport: { width: 390, height: 844 }, hash: '#/playground' });
    await page.getByRole('button', { name: 'Decode' }).click();
    await expect.poll(() => page.getByTestId('result').textContent(), { timeout: 60_000 }).not.toBe('');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});

describe('small things a newcomer met', () => {
  it('keeps the Playground text across a reload, and its skip link stays in the view', async () => {
    const page = await openApp(browser, server.url, { hash: '#/playground' });
    const text = page.getByLabel('Text', { exact: true });
    await text.fill('My own [MASK] to keep.');
    await page.reload();
    await expect.poll(() => text.inputValue(), { timeout: 60_000 }).toBe('My own [MASK] to keep.');
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await text.count()).toBe(1); // still the Playground, not Optimize
    await page.context().close();
  });
});

describe('Stop and the backend, as a newcomer meets them', () => {
  // The embedded model, so that a decode of 120 masks in 64 steps takes long enough to be stopped half-way.
  const longText = Array.from({ length: 120 }, (_, i) => (i % 2 ? 'the [MASK]' : 'a [MASK] word')).join(' ');

  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`stops a decode within a forward pass on ${backend}, keeping the steps so far`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/?model=${encodeURIComponent('/models/remask-mini/')}&backend=${backend}&quant=int8#/playground`);
      await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toBe(backend === 'webgpu' ? 'WebGPU' : 'WASM');
      await page.getByLabel('Text', { exact: true }).fill(longText);
      await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('64'); // the field's most
      await page.getByRole('button', { name: 'Decode' }).click();
      await expect.poll(() => page.getByText(/after step \d+ of \d+/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Stop' }).click();
      // Before the fix a WASM worker read the Stop only after all 64 passes.
      await expect.poll(() => page.getByTestId('stopped').textContent(), { timeout: 15_000 }).toMatch(/^Stopped after step (\d+)\.$/);
      const done = Number((await page.getByTestId('stopped').textContent())!.match(/\d+/)![0]);
      expect(done).toBeLessThan(64);
      expect(await page.getByTestId('result').textContent()).toBe('');
      await context.close();
    });
  }

  it('chooses WASM over a software GPU on "auto", and says why', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/?model=${encodeURIComponent('/fixtures/tiny-model/')}&backend=auto&quant=fp32`);
    // Chromium here offers only SwiftShader, a CPU emulation of a GPU: 25-50x slower than WASM.
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 60_000 }).toBe('WASM');
    expect(await page.getByTestId('backend-reason').textContent()).toMatch(/^no hardware GPU found \(only .*swiftshader.*, a software renderer slower than WASM\)$/i);
    await context.close();
  });
});
