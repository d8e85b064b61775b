// Helpers that turn command-line strings into checked values, with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OptionError } from '../core/errors';
import { createTarget } from '../targets/create-target';
import { providers, type Target } from '../targets/target';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false, allowNegative: true }).values;
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
/** Options that are no flag: the run config's fields. */
const configFields: Record<string, string> = { budget: 'config.budget' };

/** An option named in an engine message, worded as its flag: blockLength is --block-length. */
export function flagName(option: string): string {
  return configFields[option] ?? `--${flagsByOption[option] ?? option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The flags that name an LLM target: `remask synth` and `remask draft` take them alike. */
export const targetFlags = {
  provider: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key-env': { type: 'string' },
} as const;

/**
 * The target those flags name, and its config (for a run config to reuse); `role` says in errors what
 * the command needs it for. The key is read from the variable --api-key-env names, never from a flag.
 */
export function targetFromFlags(
  flags: { provider?: string; model?: string; 'base-url'?: string; 'api-key-env'?: string },
  role: string,
): { target: Target; config: { provider: (typeof providers)[number]; model: string; baseURL?: string; apiKeyEnv?: string } } {
  const provider = choiceFlag('provider', flags.provider, providers);
  if (provider === undefined || flags.model === undefined) throw new OptionError(`--provider and --model are required: the target that ${role}.`);
  const keyEnv = flags['api-key-env'];
  const apiKey = keyEnv === undefined ? undefined : process.env[keyEnv];
  if (keyEnv !== undefined && !apiKey) throw new OptionError(`--api-key-env names ${keyEnv}, but it is not set: export ${keyEnv}=... first.`);
  const config = { provider, model: flags.model, ...(flags['base-url'] ? { baseURL: flags['base-url'] } : {}), ...(keyEnv ? { apiKeyEnv: keyEnv } : {}) };
  return { target: createTarget(config, apiKey), config };
}
