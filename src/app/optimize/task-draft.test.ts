// "Start from a task description" in the page: the draft fills the prompt (Undo brings the old one back),
// the dataset and the metric; what blocks it is said before it starts, and a failure is said after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDataError } from '../../optimize/synthetic';
import type { TaskDraft } from '../../optimize/task-draft';
import { startTestServer, type TestServer } from '../../../test/support/openai-test-server';
import type { TaskDraftRequest } from '../../../workers/engine-api';
import type { EngineState } from '../engine.svelte';
import { OptimizeForm } from './optimize-form.svelte';
import { TaskDraftState } from './task-draft.svelte';

const draft: TaskDraft = {
  instruction: 'Classify the review.',
  intentFrom: 'llm',
  prompt: 'Classify the review. Answer with one of: negative, positive. Reply with the answer only.',
  examples: [
    { input: 'Loved it', expected: 'positive' },
    { input: 'Hated it', expected: 'negative' },
  ],
  metric: 'exact',
  labels: ['negative', 'positive'],
};

/** The engine's draftTask as a script: the requests it got, and the draft or error it answers with. */
function engine(answer: () => Promise<TaskDraft>) {
  const requests: TaskDraftRequest[] = [];
  const fake = { draftTask: (request: TaskDraftRequest) => (requests.push(request), answer()), cancel() {} };
  return { engine: fake as unknown as EngineState, requests };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(() => 'unused');
});
afterAll(() => server.close());

function formAt(baseURL: string): OptimizeForm {
  const form = new OptimizeForm();
  form.provider = 'openai-compatible';
  form.settings.model = 'scripted';
  form.settings.baseURL = baseURL;
  form.settings.metric = 'contains';
  return form;
}

describe('starting from a task description in the page', () => {
  it('sends the task, strategy, count and the form’s target, and fills the prompt, dataset and metric', async () => {
    const { engine: fake, requests } = engine(async () => draft);
    const state = new TaskDraftState(fake);
    const form = formAt(server.baseURL);
    const before = form.prompt;
    state.task = 'classify a review';
    state.strategy = 'step-by-step';
    state.count = 5;
    await state.run(form);
    expect(requests).toEqual([{ task: 'classify a review', strategy: 'step-by-step', count: 5, target: { provider: 'openai-compatible', model: 'scripted', baseURL: server.baseURL } }]);
    expect(state.error).toBeNull();
    expect(state.done).toBe(draft);
    expect(form.prompt).toBe(draft.prompt);
    expect(form.dataset.parsed.examples).toEqual(draft.examples);
    expect([form.dataset.input, form.dataset.expected]).toEqual(['input', 'expected']);
    expect(form.settings.metric).toBe('exact');
    form.undoPrompt();
    expect(form.prompt).toBe(before);
  });

  it('says what is missing before it starts: a task, a whole count, an LLM target, a key', async () => {
    const { engine: fake, requests } = engine(async () => draft);
    const state = new TaskDraftState(fake);
    const form = formAt(server.baseURL);
    expect(state.blocked(form)).toMatch(/Describe the task first/);
    state.task = 'classify a review';
    state.count = 1;
    expect(state.blocked(form)).toMatch(/at least 2 examples/);
    state.count = 10;
    expect(state.blocked(form)).toBeNull();
    form.provider = 'openai';
    expect(state.blocked(form)).toBe('Enter your openai API key below first.');
    form.provider = 'local-mlm';
    expect(state.blocked(form)).toMatch(/Choose an LLM as the target/);
    await state.run(form);
    expect(requests).toEqual([]);
  });

  it('says when the target wrote no usable examples, or nothing answers at the base URL, and leaves the form as it was', async () => {
    const noExamples = new TaskDraftState(engine(async () => Promise.reject(new SyntheticDataError('The target wrote no usable examples: try a stronger model or a clearer task description.'))).engine);
    const form = formAt(server.baseURL);
    const before = form.prompt;
    noExamples.task = 'classify a review';
    await noExamples.run(form);
    expect(noExamples.error).toBe('The target wrote no usable examples: try a stronger model or a clearer task description.');
    expect(noExamples.done).toBeNull();

    const { engine: fake, requests } = engine(async () => draft);
    const nobody = new TaskDraftState(fake);
    nobody.task = 'classify a review';
    const away = formAt('http://127.0.0.1:9/v1'); // the discard port: nothing listens
    await nobody.run(away);
    expect(nobody.error).toMatch(/^Nothing answers at http:\/\/127\.0\.0\.1:9\/v1/);
    expect(requests).toEqual([]);
    expect([form.prompt, away.prompt]).toEqual([before, before]);
  });

  it('is stopped without a failure', async () => {
    const state = new TaskDraftState(engine(async () => Promise.reject(new DOMException('Stopped.', 'AbortError'))).engine);
    state.task = 'classify a review';
    await state.run(formAt(server.baseURL));
    expect(state.error).toBeNull();
    expect(state.running).toBe(false);
  });
});

describe('feedback on single answers in the form', () => {
  it('goes into the run config on rows the dataset has, not blank, and a new dataset starts without it', () => {
    const form = formAt(server.baseURL);
    form.useTaskDraft(draft);
    form.dataset.feedback = { '0': 'Fine.', '1': '  ', '7': 'No such row.' };
    const config = form.config(form.dataset.parsed.examples, { model: 'tiny', quant: 'fp32' });
    expect(config.feedback).toEqual({ '0': 'Fine.' });
    // A run opened from History brings its feedback back.
    const opened = formAt(server.baseURL);
    opened.fill(config);
    expect(opened.dataset.feedback).toEqual({ '0': 'Fine.' });
    form.useExampleDataset();
    expect(form.dataset.feedback).toEqual({});
  });
});
