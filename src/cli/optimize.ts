// `remask optimize`: the optimizer loop from the command line. Everything is checked (config, dataset,
// keys, models, the file to resume) before the first target call; the result is written atomically
// after every iteration, so a stopped or crashed run resumes from its last finished iteration.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Engine } from '../model/engine';
import { OptionError } from '../core/errors';
import { ConfigError, parseOptimizeConfig, type OptimizeConfig } from '../optimize/config';
import type { Example } from '../optimize/dataset';
import { loadDatasetFile } from '../optimize/dataset-file';
import { optimize, type OptimizeEvent } from '../optimize/loop';
import { parseResumable, type OptimizeResult, type TestReport } from '../optimize/result';
import { deltaVerdict, percent, signedPoints } from '../optimize/stats';
import { createTarget } from '../targets/create-target';
import { LocalMlmTarget } from '../targets/local-mlm';
import type { Target, TargetConfig } from '../targets/target';
import { parseFlags } from './args';
import { embeddedModelPath } from './paths';

export const optimizeHelp = `Usage: remask optimize --config run.json [--out result.json] [--resume result.json]

Optimizes the config's prompt against its target and dataset. Progress goes to stderr, the result
JSON to stdout and to --out (rewritten after every iteration). Ctrl-C stops after the current step
and keeps what is finished; --resume continues a stopped run without repeating finished iterations.
`;

export async function optimizeCommand(args: string[]): Promise<number> {
  const flags = parseFlags('optimize', args, {
    config: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(optimizeHelp);
    return 0;
  }
  if (flags.config === undefined) throw new OptionError('--config is required: remask optimize --config run.json.');
  const configPath = resolve(flags.config);
  const config = parseOptimizeConfig(await readJson(configPath, '--config'));
  const near = (path: string) => (isAbsolute(path) || /^https?:/.test(path) ? path : resolve(dirname(configPath), path));
  const { dataset } = config;
  const splitColumn = typeof dataset.split === 'string' ? dataset.split : undefined;
  const examples: Example[] = 'rows' in dataset ? dataset.rows : await loadDatasetFile(near(dataset.path), dataset.input, dataset.expected, splitColumn);
  const previous = flags.resume === undefined ? undefined : await readResumable(resolve(flags.resume));

  const engine = await Engine.load({ model: config.dlm.model ? near(config.dlm.model) : embeddedModelPath(), quantization: config.dlm.quant, backend: 'wasm' });
  const { target, release } = await openTarget(config, engine, near);
  const optimizer = config.optimizer ? llmTarget(config.optimizer, 'optimizer') : undefined;
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('\nstopping after the current step (Ctrl-C again to quit at once)...\n');
    controller.abort(new DOMException('Stopped by the user.', 'AbortError'));
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', stop);
  // Checkpoints are written one after another, never two at once.
  let saved = Promise.resolve();
  const save = (result: OptimizeResult) => (saved = saved.then(() => (flags.out ? writeAtomically(flags.out, result) : undefined)));
  try {
    const result = await optimize({
      config,
      examples,
      engine,
      target,
      optimizer,
      previous,
      signal: controller.signal,
      onEvent: (event) => {
        process.stderr.write(describe(event));
        if (event.type === 'checkpoint') void save(event.result);
      },
    });
    await save(result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    await release();
    await engine.dispose();
  }
}

async function openTarget(config: OptimizeConfig, dlm: Engine, near: (path: string) => string): Promise<{ target: Target; release: () => Promise<void> }> {
  const spec = config.target;
  if (spec.provider === 'local-mlm') {
    const sameModel = spec.model === undefined && (spec.quant ?? config.dlm.quant) === config.dlm.quant;
    const engine = sameModel
      ? dlm
      : await Engine.load({ model: spec.model ? near(spec.model) : embeddedModelPath(), quantization: spec.quant ?? config.dlm.quant, backend: 'wasm' });
    return { target: new LocalMlmTarget(engine, spec.labels), release: async () => (sameModel ? undefined : engine.dispose()) };
  }
  return { target: llmTarget(spec, 'target'), release: async () => undefined };
}

/** An LLM target from its config, with the key its apiKeyEnv names. */
function llmTarget(spec: TargetConfig, field: 'target' | 'optimizer'): Target {
  let apiKey: string | undefined;
  if (spec.apiKeyEnv !== undefined) {
    apiKey = process.env[spec.apiKeyEnv];
    if (!apiKey) throw new ConfigError(`config.${field}.apiKeyEnv names ${spec.apiKeyEnv}, but that environment variable is not set: export ${spec.apiKeyEnv}=... first.`);
  }
  return createTarget(spec, apiKey);
}

async function readResumable(path: string): Promise<OptimizeResult> {
  const checked = parseResumable(await readJson(path, '--resume'));
  if ('problem' in checked) throw new OptionError(`--resume ${path} is not a Remask optimize result (${checked.problem}): give the file a previous run wrote with --out.`);
  return checked.result;
}

async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OptionError(`${flag} ${path} could not be read (${(error as NodeJS.ErrnoException).code}).`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OptionError(`${flag} ${path} is not valid JSON (${(error as Error).message}).`);
  }
}

/** The held-out figures, worded so that a gain inside the noise is not read as one. */
export function describeTest(test: TestReport): string {
  const ci = ([lo, hi]: [number, number], as = percent) => `[${as(lo)}, ${as(hi)}]`;
  return [
    `test (${test.n} held-out rows, 95% intervals):`,
    `  initial ${percent(test.initial.score)}% ${ci(test.initial.ci95)}`,
    `  best    ${percent(test.best.score)}% ${ci(test.best.ci95)}`,
    `  best - initial ${signedPoints(test.delta.mean)} points ${ci(test.delta.ci95, signedPoints)}: ${deltaVerdict(test.delta)}`,
    '',
  ].join('\n');
}

/** Write-then-rename, so a reader (or a crash) never sees a half-written result. */
async function writeAtomically(path: string, result: OptimizeResult): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(result, null, 2)}\n`);
  await rename(temporary, path);
}

function describe(event: OptimizeEvent): string {
  const pct = (x: number) => x.toFixed(3);
  switch (event.type) {
    case 'estimate':
      return `estimate: at most ${event.calls} target calls${event.pricesKnown ? `, about $${event.usd.toFixed(2)} at list prices` : ' (price unknown for this model)'}\n`;
    case 'split':
      return event.warning
        ? `warning: ${event.warning}\n`
        : `split: ${event.split.train.length} train rows (traces, minibatches), ${event.split.validation.length} validation (decisions), ${event.split.test.length} test (reported only)\n`;
    case 'initial':
      return `initial prompt: ${pct(event.initial.score)} on validation\n`;
    case 'iteration':
      return `iteration ${event.iteration}/${event.of}: rewriting up to ${event.editTokens} tokens\n`;
    case 'candidate':
      return `  candidate ${event.candidate.id} (${event.candidate.strategy}): ${pct(event.candidate.score ?? 0)} on the minibatch\n`;
    case 'best':
      return `  new best ${event.best.id}: ${pct(event.best.score)} on validation\n`;
    case 'test':
      return describeTest(event.test);
    case 'checkpoint':
      return '';
    case 'stop':
      return `stopped: ${event.reason}\n`;
  }
}
