// Helpers that turn command-line strings into checked values, with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OptionError } from '../core/errors';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new OptionError(`${message}. Run \`remask ${command} --help\` to see the options.`);
  }
}

export function integerFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new OptionError(`--${name} must be an integer >= ${min} (got "${value}").`);
  return n;
}

export function numberFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new OptionError(`--${name} must be a number in [${min}, ${max}] (got "${value}").`);
  }
  return n;
}

export function choiceFlag<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new OptionError(`--${name} must be one of ${choices.join(', ')} (got "${value}").`);
}

/** Options whose flag is not their name in kebab case. */
const flagsByOption: Record<string, string> = { quantization: 'quant' };

/** An option named in an engine message, worded as its flag: blockLength is --block-length. */
export function flagName(option: string): string {
  return `--${flagsByOption[option] ?? option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
