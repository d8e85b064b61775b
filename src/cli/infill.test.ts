// `remask infill` honours its command-line contract: JSON on stdout, errors on stderr, exit codes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = `${root}test/fixtures/tiny-model`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function remask(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['bin/remask.mjs', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const infill = (...args: string[]) => remask('infill', '--model', fixture, '--quant', 'fp32', ...args);

interface InfillJson {
  text: string;
  steps: number;
  nfe: number;
  ms: number;
  trace?: { step: number; candidates: { pos: number; token: string; id: number; conf: number }[]; committed: number[] }[];
}

describe('remask infill', () => {
  it('prints one JSON object with the text, steps, forward passes and time', async () => {
    const run = await infill('--text', 'The [MASK] sat on the [MASK] .', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as InfillJson;
    expect(Object.keys(out).sort()).toEqual(['ms', 'nfe', 'steps', 'text']);
    expect(out.text).toMatch(/^The.* sat on the.* \.$/s);
    expect(out.text).not.toContain('[MASK]');
    expect(out.steps).toBe(2); // 16 steps clamped to the two masked positions
    expect(out.nfe).toBe(2);
    expect(Number.isFinite(out.ms)).toBe(true);
  });

  it('traces every step: the candidates still masked before it and the positions it committed', async () => {
    const run = await infill('--text', '[MASK] [MASK] are [MASK] [MASK] .', '--steps', '2', '--trace', '--json');
    const out = JSON.parse(run.stdout) as InfillJson;
    expect(out.trace).toHaveLength(2);
    const [first, second] = out.trace!;
    expect(first.candidates.map((c) => c.pos)).toEqual([1, 2, 4, 5]);
    expect(first.committed).toHaveLength(2);
    // The second step's candidates are exactly the positions the first left masked.
    expect(second.candidates.map((c) => c.pos)).toEqual(first.candidates.map((c) => c.pos).filter((p) => !first.committed.includes(p)));
    for (const c of first.candidates) {
      expect(c.conf).toBeGreaterThan(0);
      expect(c.conf).toBeLessThanOrEqual(1);
      expect(typeof c.token).toBe('string');
    }
    // Greedy top-k: the committed candidates are the most confident ones.
    const ranked = [...first.candidates].sort((a, b) => b.conf - a.conf || a.pos - b.pos);
    expect(first.committed.sort()).toEqual(ranked.slice(0, 2).map((c) => c.pos).sort());
  });

  it('gives the same text for the same seed and temperature, and another for another seed', async () => {
    const text = 'A [MASK] [MASK] [MASK] [MASK] [MASK] [MASK] day.';
    const a = await infill('--text', text, '--temperature', '5', '--seed', '7', '--json');
    const b = await infill('--text', text, '--temperature', '5', '--seed', '7', '--json');
    const c = await infill('--text', text, '--temperature', '5', '--seed', '8', '--json');
    expect(JSON.parse(a.stdout).text).toBe(JSON.parse(b.stdout).text);
    expect(JSON.parse(a.stdout).text).not.toBe(JSON.parse(c.stdout).text);
  });

  it('runs fewer steps with a confidence threshold than one token a step', async () => {
    const text = 'x [MASK] [MASK] [MASK] [MASK] [MASK] [MASK] y';
    const quota = JSON.parse((await infill('--text', text, '--steps', '6', '--json')).stdout) as InfillJson;
    const fast = JSON.parse((await infill('--text', text, '--threshold', '0.000001', '--json')).stdout) as InfillJson;
    expect(quota.nfe).toBe(6);
    expect(fast.nfe).toBe(1);
  });

  it('avoids repeats with --avoid-repeats, and not with --no-avoid-repeats', async () => {
    // The random-weight fixture writes newline after newline here unless guarded.
    const text = ['--text', 'a [MASK] [MASK] [MASK] [MASK] [MASK] [MASK] end', '--threshold', '0.3', '--keep-apart', '--json'];
    const plain = JSON.parse((await infill(...text, '--no-avoid-repeats')).stdout) as InfillJson;
    const guarded = JSON.parse((await infill(...text, '--avoid-repeats')).stdout) as InfillJson;
    expect(plain.text).toContain('\n\n');
    expect(guarded.text).not.toContain('\n\n');
    expect(guarded.nfe).toBeGreaterThan(guarded.steps); // the repeating rows' full logits: one more pass
  });

  it('says what to do when the text has no [MASK]', async () => {
    const run = await infill('--text', 'Nothing to fill.', '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/no \[MASK\].*add at least one/);
  });

  it('refuses a text longer than the model reads, naming both lengths', async () => {
    const run = await infill('--text', `${'word '.repeat(200)}[MASK]`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tokens long .* reads at most 128/);
  });

  it('refuses an unknown option and points at --help', async () => {
    const run = await infill('--text', 'a [MASK]', '--stepz', '3');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--stepz.*remask infill --help/s);
  });

  it('refuses an unknown schedule, listing the known ones', async () => {
    const run = await infill('--text', 'a [MASK]', '--schedule', 'fast');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--schedule must be one of linear, alpha-linear, cosine, maskgit/);
  });

  it('names the options an engine message names by their flags', async () => {
    const run = await infill('--text', 'a [MASK]', '--threshold', '0.9', '--factor', '1');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--threshold and --factor are two different parallel-decoding rules/);
  });

  it('names the missing file when the model folder is wrong', async () => {
    const run = await remask('infill', '--model', `${root}test/fixtures/nowhere`, '--text', 'a [MASK]');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nowhere\/config\.json was not found/);
  });

  it('names the file when a model file is corrupt', async () => {
    const { mkdtemp, cp, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(`${root}test-results-corrupt-`);
    try {
      await cp(fixture, dir, { recursive: true });
      await writeFile(`${dir}/onnx/model.onnx`, 'not a model');
      const run = await remask('infill', '--model', dir, '--quant', 'fp32', '--text', 'a [MASK]');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/could not be loaded as an ONNX model.*set --quant to another of fp32, fp16, int8, q4/s);
    } finally {
      const { rm } = await import('node:fs/promises');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
