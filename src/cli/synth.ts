// `remask synth`: synthetic examples for a task, written as JSONL to review and reuse as a dataset.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { OptionError } from '../core/errors';
import { synthesizeExamples } from '../optimize/synthetic';
import { integerFlag, parseFlags, targetFlags, targetFromFlags } from './args';

export const synthHelp = `Usage: remask synth --task "classify a review as positive or negative" --out data.jsonl \\
         --provider openai|anthropic|openai-compatible --model NAME [--base-url URL] [--api-key-env VAR] [--count N]

Asks the target to write N input/expected examples of the task (default 20) and saves them as JSON
lines ({"input", "expected"}) to review, edit and use as an optimize dataset.
`;

export async function synthCommand(args: string[]): Promise<number> {
  const flags = parseFlags('synth', args, {
    task: { type: 'string' },
    out: { type: 'string' },
    count: { type: 'string' },
    ...targetFlags,
    force: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(synthHelp);
    return 0;
  }
  if (flags.task === undefined) throw new OptionError('--task is required: describe the task the examples are for.');
  if (flags.out === undefined) throw new OptionError('--out FILE.jsonl is required: where to save the examples.');
  if (existsSync(flags.out) && !flags.force) throw new OptionError(`${flags.out} exists: choose another --out, or pass --force to replace it.`);
  const { target } = targetFromFlags(flags, 'writes the examples');

  const examples = await synthesizeExamples(target, flags.task, integerFlag('count', flags.count, 1) ?? 20);
  await writeFile(flags.out, examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
  process.stderr.write(`wrote ${examples.length} examples to ${flags.out}: review them, then use {"path": "${flags.out}", "input": "input", "expected": "expected"} as the dataset\n`);
  return 0;
}
