// The shipped model (models/remask-mini) is what the CLI uses when no --model is given, and it has
// learned English: on held-out text it predicts masked tokens far better than the most frequent
// token does (3.5% top-1, nll 6.9 on this sample; the model card has the full table).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const remask = async (...args: string[]) => (await promisify(execFile)('node', ['bin/remask.mjs', ...args], { cwd: root })).stdout;
let dir: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'remask-embedded-'));
  data = join(dir, 'heldout.txt');
  const lines = (await readFile(`${root}models/heldout-sample.txt`, 'utf8')).split('\n').slice(0, 40);
  await writeFile(data, lines.join('\n'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
// Each test starts a CLI process that loads the model: minutes on a busy shared machine, not seconds.

describe('the embedded model', () => {
  it('is the default and predicts held-out masked tokens far above the most frequent token', async () => {
    const scores = JSON.parse(await remask('eval-model', '--data', data, '--mask-ratio', '0.15', '--seed', '1', '--json'));
    expect(scores.tokens_scored).toBeGreaterThan(500);
    expect(scores.top1).toBeGreaterThan(0.15);
    expect(scores.top5).toBeGreaterThan(scores.top1);
    expect(scores.nll).toBeLessThan(5);
  }, 120_000);

  it('infills a sentence, keeping every word around the masks', async () => {
    const { text } = JSON.parse(await remask('infill', '--text', 'The [MASK] sat on the [MASK] and looked out of the window.', '--json'));
    expect(text).toMatch(/^The .+ sat on the .+ and looked out of the window\.$/);
    expect(text).not.toContain('[MASK]');
  }, 120_000);
});
