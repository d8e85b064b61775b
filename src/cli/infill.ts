// `remask infill`: fill each [MASK] of a text with the diffusion decoder.
import { confidenceNames } from '../core/confidence';
import { scheduleNames } from '../core/schedule';
import { defaultQuantization } from '../model/embedded';
import { Engine, type InfillSettings } from '../model/engine';
import type { TraceStep } from '../model/trace-step';
import { OptionError } from '../core/errors';
import { parseQuantization, quantizations } from '../model/options';
import { choiceFlag, integerFlag, numberFlag, parseFlags } from './args';
import { embeddedModelPath } from './paths';

export const infillHelp = `Usage: remask infill --text "The [MASK] sat on the [MASK] ." [options]

Each [MASK] in the text is one position for the model to fill.

Options:
  --model DIR_OR_URL     model package folder or URL (default: the embedded model)
  --quant NAME           weight format to load: ${quantizations.join('|')} (default: ${defaultQuantization('wasm')})
  --steps N              denoising steps on a fixed schedule, at most one per masked position
                         (default: the model's own --threshold where its package sets one, as the
                         embedded model's does; else 16 steps)
  --block-length N       semi-autoregressive blocks of N masked positions (default: one block)
  --schedule NAME        ${scheduleNames.join('|')} (default: linear)
  --confidence NAME      ${confidenceNames.join('|')} (default: prob)
  --threshold X          commit every token with confidence >= X each step, at least one (Fast-dLLM)
  --factor F             Fast-dLLM factor rule: commit the n-th best while conf >= 1 - F/(n+1)
  --keep-apart           with --threshold or --factor: never commit two neighbours in one step
  --avoid-repeats        never write a phrase of 1-6 tokens twice in a row ("the the", "the use of
                         the use of"), nor one of 2-6 tokens twice one token apart; the default
                         where the model's package turns it on, as the embedded model's does
                         (--no-avoid-repeats turns it off)
  --temperature X        0 = greedy; > 0 samples with Gumbel noise (default: 0)
  --remask N             re-open the N least confident committed tokens per step (default: 0)
  --guidance W           classifier-free guidance weight (default: 0 = off)
  --seed N               random seed (default: 0)
  --trace                include every step's candidates and commits
  --json                 print one JSON object on stdout
`;

export async function infillCommand(args: string[]): Promise<number> {
  const flags = parseFlags('infill', args, {
    text: { type: 'string' },
    model: { type: 'string' },
    quant: { type: 'string' },
    steps: { type: 'string' },
    'block-length': { type: 'string' },
    schedule: { type: 'string' },
    confidence: { type: 'string' },
    threshold: { type: 'string' },
    factor: { type: 'string' },
    'keep-apart': { type: 'boolean' },
    'avoid-repeats': { type: 'boolean' },
    temperature: { type: 'string' },
    remask: { type: 'string' },
    guidance: { type: 'string' },
    seed: { type: 'string' },
    trace: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(infillHelp);
    return 0;
  }
  if (flags.text === undefined) throw new OptionError('--text is required: remask infill --text "The [MASK] sat."');

  const settings: Partial<InfillSettings> = dropUndefined({
    steps: integerFlag('steps', flags.steps, 1),
    blockLength: integerFlag('block-length', flags['block-length'], 1),
    schedule: choiceFlag('schedule', flags.schedule, scheduleNames),
    confidence: choiceFlag('confidence', flags.confidence, confidenceNames),
    threshold: numberFlag('threshold', flags.threshold, 0, 1),
    factor: numberFlag('factor', flags.factor, 0, 100),
    keepApart: flags['keep-apart'],
    avoidRepeats: flags['avoid-repeats'],
    temperature: numberFlag('temperature', flags.temperature, 0, 100),
    remask: integerFlag('remask', flags.remask, 0),
    guidance: numberFlag('guidance', flags.guidance, 0, 100),
    seed: integerFlag('seed', flags.seed, 0),
    trace: flags.trace ?? false,
  });
  const engine = await Engine.load({
    model: flags.model ?? embeddedModelPath(),
    quantization: parseQuantization(flags.quant ?? defaultQuantization('wasm')),
    backend: 'wasm',
  });
  try {
    const result = await engine.infill(flags.text, settings);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result.trace ? { ...result, trace: result.trace.map(traceJson) } : result)}\n`);
    } else {
      if (result.trace) process.stdout.write(formatTrace(result.trace));
      process.stdout.write(`${result.text}\n`);
      process.stderr.write(`${result.steps} steps, ${result.nfe} forward passes, ${result.ms.toFixed(0)} ms\n`);
    }
  } finally {
    await engine.dispose();
  }
  return 0;
}

function formatTrace(trace: TraceStep[]): string {
  return trace
    .map((step) => {
      const committed = new Set(step.committed);
      const cells = Array.from(step.positions, (pos, i) => `${committed.has(pos) ? '*' : ' '}${pos}:${JSON.stringify(step.texts[i])}(${step.conf[i].toFixed(2)})`);
      return `step ${step.step}: ${cells.join(' ')}\n`;
    })
    .join('');
}

/** A step as `--json` has always printed it: one object per candidate (JSON has no typed arrays). */
function traceJson(step: TraceStep) {
  return {
    step: step.step,
    candidates: Array.from(step.positions, (pos, i) => ({ pos, token: step.texts[i], id: step.ids[i], conf: step.conf[i] })),
    committed: Array.from(step.committed),
    remasked: Array.from(step.remasked),
  };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
