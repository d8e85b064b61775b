// `remask draft`: from a task description to a folder ready for `remask optimize` (Promptomatix's start):
// the intent read by the target, a first prompt in the chosen strategy, synthetic examples to review, and
// a run config that uses them.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError } from '../core/errors';
import { draftConfig, draftFromTask, draftStrategies } from '../optimize/task-draft';
import { choiceFlag, integerFlag, parseFlags, targetFlags, targetFromFlags } from './args';

export const draftHelp = `Usage: remask draft --task "classify a review as positive or negative" --out DIR \\
         --provider openai|anthropic|openai-compatible --model NAME [--base-url URL] [--api-key-env VAR]
         [--strategy plain|step-by-step|examples] [--count N]

Writes DIR/prompt.txt (a first prompt: the task as the target reads it, in the chosen strategy, default
plain), DIR/data.jsonl (N synthetic examples written by the target, default 30: review and edit them),
and DIR/config.json, ready for: remask optimize --config DIR/config.json
`;

export async function draftCommand(args: string[]): Promise<number> {
  const flags = parseFlags('draft', args, {
    task: { type: 'string' },
    out: { type: 'string' },
    strategy: { type: 'string' },
    count: { type: 'string' },
    ...targetFlags,
    force: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(draftHelp);
    return 0;
  }
  if (flags.task === undefined || !flags.task.trim()) throw new OptionError('--task is required: describe the task, e.g. "classify a review as positive or negative".');
  if (flags.out === undefined) throw new OptionError('--out DIR is required: the folder to write the prompt, data and config into.');
  if (existsSync(join(flags.out, 'config.json')) && !flags.force) throw new OptionError(`${flags.out} already holds a config.json: choose another --out, or pass --force to replace it.`);
  const strategy = choiceFlag('strategy', flags.strategy, draftStrategies) ?? 'plain';
  const { target, config: targetConfig } = targetFromFlags(flags, 'reads the task and writes the examples');

  process.stderr.write('reading the task and writing examples...\n');
  const draft = await draftFromTask(target, flags.task, { strategy, count: integerFlag('count', flags.count, 2) ?? 30 });
  await mkdir(flags.out, { recursive: true });
  await writeFile(join(flags.out, 'prompt.txt'), `${draft.prompt}\n`);
  await writeFile(join(flags.out, 'data.jsonl'), draft.examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await writeFile(join(flags.out, 'config.json'), `${JSON.stringify(draftConfig(draft, 'data.jsonl', targetConfig), null, 2)}\n`);
  process.stderr.write(
    [
      `intent (${draft.intentFrom === 'llm' ? 'as the target read it' : 'the task as given: the target gave no usable instruction'}): ${draft.instruction}`,
      `first prompt (${strategy}) in ${join(flags.out, 'prompt.txt')}`,
      `${draft.examples.length} examples in ${join(flags.out, 'data.jsonl')}, metric ${draft.metric}${draft.labels ? ` (labels: ${draft.labels.join(', ')})` : ''}: review them`,
      `then: remask optimize --config ${join(flags.out, 'config.json')} --out ${join(flags.out, 'result.json')}`,
      '',
    ].join('\n'),
  );
  return 0;
}
