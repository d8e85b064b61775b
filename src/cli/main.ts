// The `remask` command line: a thin layer over the same engine the browser worker runs.
import { RemaskError } from '../core/errors';
import { flagName } from './args';
import { draftCommand } from './draft';
import { evalModelCommand } from './eval-model';
import { infillCommand } from './infill';
import { optimizeCommand } from './optimize';
import { synthCommand } from './synth';

const usage = `Usage: remask <command> [options]

Commands:
  draft        from a task description: a first prompt, synthetic data and a run config
  infill       fill the [MASK]s of a text with the diffusion decoder
  eval-model   masked-token accuracy (top-1, top-5, nll) of a model on a text file
  optimize     optimize a system prompt against a target LLM and a dataset
  synth        write synthetic examples of a task through a target LLM, as JSONL

Run \`remask <command> --help\` for a command's options.
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  draft: draftCommand,
  infill: infillCommand,
  'eval-model': evalModelCommand,
  optimize: optimizeCommand,
  synth: synthCommand,
};

/** Runs one command; returns the exit code (0 ok, 2 a problem the user can fix, 1 anything else). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`remask: unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof RemaskError) {
      process.stderr.write(`remask ${name}: ${error.worded(flagName)}\n`);
      return 2;
    }
    process.stderr.write(`remask ${name}: unexpected error: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}
