// The Optimize view against the scripted OpenAI-compatible test server (a test double on 127.0.0.1):
// a run is stopped and resumed, a run cut off by a reload resumes, both are in History after a
// reload; the no-target mode rewrites from traces alone; the API key reaches the server and nothing else;
// a start from a task description fills the prompt, the dataset and the metric.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/openai-test-server';
import { modelReady, openApp, root, view } from './app';
import { launchChromium } from '../../scripts/chromium';
import { serveStatic, type StaticServer } from '../../scripts/static-server';

let server: StaticServer;
let llm: TestServer;
let browser: Browser;
const apiKey = 'sk-test-not-a-real-key-1234';

beforeAll(async () => {
  server = await serveStatic({ '/': `${root}dist`, '/fixtures/': `${root}test/fixtures` });
  // Right on complaints for prompts of even length, else always "positive": the score depends on the prompt.
  llm = await startTestServer(({ system, user }) => (system.length % 2 === 0 && /late|damaged|Nobody/.test(user) ? 'negative' : 'positive'), { delayMs: 60 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await llm?.close();
  await server?.close();
});

async function fillTarget(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Use the example dataset' }).click();
  await page.getByLabel('Provider').selectOption('openai-compatible');
  await page.getByLabel('Model', { exact: true }).fill('scripted');
  await page.getByLabel('Base URL').fill(llm.baseURL);
  await page.getByLabel(/^API key/).fill(apiKey);
  await page.getByLabel('Iterations').fill('3');
  await page.getByLabel('Candidates per iteration').fill('2');
  await page.getByLabel('Minibatch size').fill('4');
}

const status = (page: Page) => page.getByTestId('run-status').textContent();

describe('the Optimize view', () => {
  it('runs against the target, stops, resumes to the end, and keeps the run in History', async () => {
    const page = await openApp(browser, server.url);
    await fillTarget(page);
    await expect.poll(() => page.getByTestId('estimate').textContent()).toMatch(/at most \d+ target calls/);
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    // Stop once candidates are coming in.
    const rows = page.getByRole('table', { name: 'Candidates' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('stopped');
    const callsWhenStopped = llm.calls;

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('finished');
    expect(llm.calls).toBeGreaterThan(callsWhenStopped);
    expect(await page.getByText(/3 of 3 iterations done/).count()).toBe(1);
    await expect.poll(() => page.getByRole('heading', { name: /Best prompt: validation score/ }).count()).toBe(1);
    expect(await page.getByTestId('spent').textContent()).toMatch(/\d+ calls/);
    // Six rows are too few to hold any out: the page says so, shows no test figures, and asks before
    // applying a winner that no held-out test backs.
    expect(await page.getByText(/Too few rows to split/).count()).toBe(1);
    expect(await page.getByTestId('test-figures').count()).toBe(0);
    const useAnyway = page.getByLabel(/use it anyway/);
    if ((await useAnyway.count()) > 0) {
      const use = page.getByRole('button', { name: 'Use as the prompt' });
      expect(await use.isDisabled()).toBe(true);
      await useAnyway.check();
      expect(await use.isDisabled()).toBe(false);
    }

    // The key went to the target server, as a bearer token, and to nothing else the page stores.
    expect(llm.requests.every((r) => r.authorization === `Bearer ${apiKey}`)).toBe(true);

    await page.reload();
    await modelReady(page);
    // The form comes back as it was left (the key does not: it was not to be remembered).
    expect(await page.getByLabel('Base URL').inputValue()).toBe(llm.baseURL);
    expect(await page.getByLabel(/^API key/).inputValue()).toBe('');
    await view(page, 'History');
    const run = page.getByRole('listitem').filter({ hasText: 'Optimize run' });
    await expect.poll(() => run.count()).toBe(1);
    expect(await run.getByTestId('history-status').textContent()).toBe('finished');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all (JSON)' }).click()]);
    const exported = await readFile((await download.path())!, 'utf8');
    expect(JSON.parse(exported).records).toHaveLength(1);
    // Importing the same file again adds nothing, and says so.
    await page.getByLabel('Import (JSON)').setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Nothing new: all 1 entry of that file are already here.' }).count()).toBe(1);
    expect(exported).not.toContain(apiKey);
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain(apiKey);

    // Open it again: the result is shown beside the original.
    await run.getByRole('button', { name: 'Open run' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /Best prompt: validation score/ }).count()).toBe(1);

    // Delete has an Undo.
    await view(page, 'History');
    await run.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => run.count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => run.count()).toBe(1);
    await page.context().close();
  });

  it('defaults to the local LLM, says at once when nothing answers there instead of retrying, and keeps the chosen proposer and few-shot examples', async () => {
    const page = await openApp(browser, server.url);
    await page.getByRole('button', { name: 'Use the example dataset' }).click();
    await page.getByLabel('Provider').selectOption('openai-compatible');
    expect(await page.getByLabel('Base URL').inputValue()).toBe('http://127.0.0.1:8090/v1');
    await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1'); // the discard port: nothing listens
    await page.getByLabel('Proposer').selectOption({ label: 'An LLM rewrites (GPO)' });
    await page.getByLabel('Few-shot examples').fill('2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Nothing answers at http://127.0.0.1:9/v1' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByRole('alert').filter({ hasText: 'npm run local-llm' }).count()).toBe(1);

    // Both settings are kept across a reload (once the draft is saved), and went into the run's config, saved in History.
    await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('remask.optimizeDraft') ?? '{}'))).toMatchObject({ proposer: 'gpo', demos: 2 });
    await page.reload();
    await modelReady(page);
    expect(await page.getByLabel('Proposer').inputValue()).toBe('gpo');
    expect(await page.getByLabel('Few-shot examples').inputValue()).toBe('2');
    await view(page, 'History');
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'Optimize run' }).count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all (JSON)' }).click()]);
    const [run] = JSON.parse(await readFile((await download.path())!, 'utf8')).records;
    expect(run.config.search).toMatchObject({ proposer: 'gpo', demos: 2 });
    await page.context().close();
  });

  it('resumes a run cut off by a reload from its last checkpoint', async () => {
    const page = await openApp(browser, server.url);
    await fillTarget(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByText(/[12] of 3 iterations done/).count(), { timeout: 60_000 }).toBe(1);
    await page.reload();
    await modelReady(page);
    await page.getByLabel(/^API key/).fill(apiKey);
    await page.getByRole('button', { name: 'Resume the run' }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('finished');
    await page.context().close();
  });

  it('counts the prompt in model tokens as it is typed, and rewrites a prompt longer than the window', async () => {
    const page = await openApp(browser, server.url);
    // An empty or blank prompt cannot be rewritten or run, and the page says why in words.
    await page.getByLabel('System prompt').fill('   ');
    expect(await page.getByRole('button', { name: 'Suggest rewrites' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('empty-prompt').textContent()).toMatch(/Write a system prompt first/);
    await expect.poll(() => page.getByText('Before running: Write a system prompt first: there is nothing to optimize.').count()).toBe(1);
    const prompt = page.getByLabel('System prompt');
    await prompt.fill('Answer with one word.');
    const meter = page.getByTestId('token-meter');
    await expect.poll(() => meter.textContent()).toMatch(/^\s*\d+ \/ 128 tokens of the model's window/);
    // Far past the fixture model's 128 tokens: rewritten a window at a time, no "too long" error.
    const long = Array.from({ length: 60 }, (_, i) => `Rule ${i + 1}: answer politely and check the booking first.`).join(' ');
    await prompt.fill(long);
    await expect.poll(() => meter.textContent()).toMatch(/^\s*\d+ tokens: longer than the model's 128-token window/);
    await page.getByLabel('Rewrites').fill('2');
    await page.getByRole('button', { name: 'Suggest rewrites' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Use rewrite/ }).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.context().close();
  });

  it('rewrites the prompt from traces alone, without a target or a key', async () => {
    const page = await openApp(browser, server.url);
    const calls = llm.calls;
    await page.getByRole('button', { name: 'Add trace' }).click();
    await page.getByLabel('Query 3').fill('Where is my order?');
    await page.getByLabel('Response 3').fill('Negative.');
    await page.getByLabel('Feedback 3').fill('Say the label in lower case.');
    await page.getByLabel('Rewrites').fill('2');
    await page.getByRole('button', { name: 'Suggest rewrites' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Use rewrite/ }).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(llm.calls).toBe(calls);
    const firstRewrite = await page.getByRole('list', { name: 'Rewrites' }).getByRole('listitem').first().textContent();
    const original = await page.getByLabel('System prompt').inputValue();
    await page.getByRole('button', { name: 'Use rewrite 1' }).click();
    expect(await page.getByLabel('System prompt').inputValue()).not.toBe(original);
    // Using a rewrite can be undone.
    await page.getByRole('button', { name: /^Undo: back to the prompt before \(1 earlier\)/ }).click();
    expect(await page.getByLabel('System prompt').inputValue()).toBe(original);
    await page.getByRole('button', { name: 'Use rewrite 1' }).click();

    // The rewrites are kept in History, and open again with the prompt and traces they came from.
    await page.reload();
    await modelReady(page);
    await view(page, 'History');
    const saved = page.getByRole('listitem').filter({ hasText: 'Suggested rewrites' });
    await expect.poll(() => saved.count()).toBe(1);
    expect(await saved.textContent()).toMatch(/\d rewrites? from 3 traces/);
    await saved.getByRole('button', { name: 'Open rewrites' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Use rewrite 1' }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Rewrites' }).getByRole('listitem').first().textContent()).toBe(firstRewrite);
    expect(await page.getByLabel('Feedback 3').inputValue()).toBe('Say the label in lower case.');
    await page.context().close();
  });

  it('starts from a task description: the target writes the prompt and examples, and the metric is chosen', async () => {
    // The intent in one sentence, and examples for a review task only (ten new ones a call); anything else gets prose.
    const writer = await startTestServer(({ system, user }, call) => {
      if (system.startsWith('You turn a task description')) return 'Classify the customer message as positive or negative.';
      if (!/customer message/.test(user)) return 'I am not sure what you mean.';
      return Array.from({ length: 10 }, (_, i) => JSON.stringify({ input: `Message ${call}-${i}`, expected: i % 2 ? 'negative' : 'positive' })).join('\n');
    });
    try {
      const page = await openApp(browser, server.url);
      await page.getByText('Start from a task description').click();
      await page.getByLabel('Provider').selectOption('openai-compatible');
      await page.getByLabel('Model', { exact: true }).fill('scripted');
      await page.getByLabel('Base URL').fill(writer.baseURL);
      await page.getByLabel('Examples to write').fill('6');
      const draft = page.getByRole('button', { name: 'Draft prompt and examples' });

      // A target that writes no examples is said so, and the form is left as it was.
      const before = await page.getByLabel('System prompt').inputValue();
      await page.getByLabel('Task description').fill('do the thing');
      await draft.click();
      await expect.poll(() => page.getByRole('alert').filter({ hasText: 'The target wrote no usable examples' }).count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByLabel('System prompt').inputValue()).toBe(before);

      await page.getByLabel('Task description').fill('classify a customer message as positive or negative');
      await page.getByLabel('Strategy').selectOption({ label: 'Step by step' });
      await draft.click();
      await expect.poll(() => page.getByTestId('task-draft-done').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByLabel('System prompt').inputValue()).toBe(
        'Classify the customer message as positive or negative. Think it through step by step, then give one of: negative, positive alone on the last line.',
      );
      expect(await page.getByRole('table', { name: 'Dataset preview' }).locator('caption').textContent()).toBe('6 examples, the first 5:');
      expect(await page.getByRole('combobox', { name: /^Metric/ }).inputValue()).toBe('exact');
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.context().close();
    } finally {
      await writer.close();
    }
  });

  it('optimizes fully offline with the page model as a classifier target, no key, no calls out', async () => {
    const page = await openApp(browser, server.url);
    const calls = llm.calls;
    await page.getByRole('button', { name: 'Use the example dataset' }).click();
    await page.getByLabel('Provider').selectOption('local-mlm');
    await page.getByLabel('Labels (comma-separated)').fill('positive, negative');
    expect(await page.getByLabel(/^API key/).count()).toBe(0);
    await page.getByLabel('Iterations').fill('1');
    await page.getByLabel('Candidates per iteration').fill('2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('finished');
    await expect.poll(() => page.getByRole('heading', { name: /Best prompt: validation score/ }).count()).toBe(1);
    expect(llm.calls).toBe(calls);
    // Feedback on one answer is kept with the form, for the next run's proposer.
    await page.getByText(/^Answers of the best prompt on train rows/).click();
    await page.getByLabel(/^Feedback on row/).first().fill('Praise is positive.');
    await expect.poll(() => page.evaluate(() => JSON.stringify(JSON.parse(localStorage.getItem('remask.optimizeDraft') ?? '{}').dataset?.feedback))).toMatch(/Praise is positive/);
    // On a phone the finished run (candidates table, diff) fits the width: nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
