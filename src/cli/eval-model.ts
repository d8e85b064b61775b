// `remask eval-model`: masked-token accuracy of a model on a text file, one line at a time.
import { readFile } from 'node:fs/promises';
import { defaultQuantization } from '../model/embedded';
import { Engine } from '../model/engine';
import { OptionError } from '../core/errors';
import { evaluateMaskedLm } from '../model/evaluate';
import { parseQuantization, quantizations } from '../model/options';
import { integerFlag, numberFlag, parseFlags } from './args';
import { embeddedModelPath } from './paths';

export const evalModelHelp = `Usage: remask eval-model --data FILE --mask-ratio R [options]

Masks a fraction R of the tokens of each line of FILE (lines longer than the model reads are cut
into windows), predicts them in one forward pass and reports top-1, top-5 and nll (nats per masked token).

Options:
  --data FILE            text file, one example per line (required)
  --mask-ratio R         fraction of tokens to mask, in (0, 1] (required)
  --seed N               which tokens are masked (default: 0)
  --model DIR_OR_URL     model package (default: the embedded model)
  --quant NAME           weight format: ${quantizations.join('|')} (default: ${defaultQuantization('wasm')})
  --json                 print one JSON object on stdout
`;

export async function evalModelCommand(args: string[]): Promise<number> {
  const flags = parseFlags('eval-model', args, {
    data: { type: 'string' },
    'mask-ratio': { type: 'string' },
    seed: { type: 'string' },
    model: { type: 'string' },
    quant: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(evalModelHelp);
    return 0;
  }
  if (flags.data === undefined) throw new OptionError('--data FILE is required: a text file with one example per line.');
  const maskRatio = numberFlag('mask-ratio', flags['mask-ratio'], Number.MIN_VALUE, 1);
  if (maskRatio === undefined) throw new OptionError('--mask-ratio is required: e.g. --mask-ratio 0.15.');
  const seed = integerFlag('seed', flags.seed, 0) ?? 0;
  let text: string;
  try {
    text = await readFile(flags.data, 'utf8');
  } catch (error) {
    throw new OptionError(`--data ${flags.data} could not be read (${(error as NodeJS.ErrnoException).code}): give a text file.`);
  }

  const engine = await Engine.load({
    model: flags.model ?? embeddedModelPath(),
    quantization: parseQuantization(flags.quant ?? defaultQuantization('wasm')),
    backend: 'wasm',
  });
  try {
    const lines = text.split(/\r?\n/);
    const interactive = process.stderr.isTTY;
    const result = await evaluateMaskedLm(engine, lines, {
      maskRatio,
      seed,
      onProgress: interactive ? (done, total) => process.stderr.write(`\rscored ${done}/${total} lines`) : undefined,
    });
    if (interactive) process.stderr.write('\n');
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `tokens scored ${result.tokens_scored}\ntop-1 ${(100 * result.top1).toFixed(2)}%\ntop-5 ${(100 * result.top5).toFixed(2)}%\nnll ${result.nll.toFixed(4)} nats/token\n`,
      );
    }
  } finally {
    await engine.dispose();
  }
  return 0;
}
