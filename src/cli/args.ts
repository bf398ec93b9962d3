/** A small argument parser (`cmd positional... --flag value --switch`) and the CLI's error contract. */
import { LOAD_ERROR_CODES } from '../core/errors';

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

/** The command line is wrong: exit 2, with the message (and the usage in text mode). */
export class UsageError extends Error {}

/** Codes of the `error` objects the CLI prints, besides the loader's (README, "Errors"). */
export const CLI_ERROR_CODES = ['usage', 'bad-request', 'cannot-measure'] as const;
export const ERROR_CODES: readonly string[] = [...LOAD_ERROR_CODES, ...CLI_ERROR_CODES];

/**
 * `valued` options take a value (`--name value` or `--name=value`), `switches` take none; any other
 * `--name` is a usage error. A first argument that is an option leaves the command undefined.
 */
export function parseArgs(
  argv: readonly string[],
  valued: ReadonlySet<string>,
  switches: ReadonlySet<string>,
): ParsedArgs {
  const first = argv.length > 0 && !argv[0].startsWith('--') ? argv[0] : undefined;
  const rest = first === undefined ? argv : argv.slice(1);
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.has(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        options.set(name, value);
      } else if (switches.has(name)) {
        if (eq > 0) throw new UsageError(`--${name} takes no value`);
        options.set(name, true);
      } else throw new UsageError(`unknown option --${name}`);
    } else positional.push(a);
  }
  return { command: first, positional, options };
}

/** Whether the command line asks for JSON, read leniently (also when it is wrong in other ways). */
export function wantsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--format=json' || (argv[i] === '--format' && argv[i + 1] === 'json')) return true;
  }
  return false;
}

/** A count written in decimal digits (no sign, exponent, blanks or empty text); NaN otherwise. */
export function wholeNumber(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : NaN;
}
