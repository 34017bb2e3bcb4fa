import { UsageError } from './usage';

export interface OptionSpec {
  /** Takes a value (`--name value` or `--name=value`), or is a flag. */
  value: boolean;
}

export interface SplitArgv {
  options: Map<string, string>;
  positionals: string[];
}

/**
 * Whether an argument is meant as an option: `--name` or a short `-x` (so a typo such as `-f csv`
 * is refused by name rather than taken as SQL). Text with whitespace is SQL (`-- comment\nselect 1`),
 * and `-` or `-123` are values (a row id may be a negative number).
 */
function looksLikeOption(arg: string): boolean {
  if (/\s/.test(arg)) return false;
  return arg.startsWith('--') ? arg.length > 2 : /^-[A-Za-z]/.test(arg);
}

/** Splits argv into options and positionals by the command's spec; `--` ends options. */
export function splitArgv(
  argv: readonly string[],
  spec: Readonly<Record<string, OptionSpec>>,
  usage: string,
): SplitArgv {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const known = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!known) throw new UsageError(`Unknown option ${name}.`, usage);
    if (options.has(name)) throw new UsageError(`${name} is given twice.`, usage);
    if (!known.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value.`, usage);
      options.set(name, '');
    } else if (eq > 0) {
      options.set(name, arg.slice(eq + 1));
    } else {
      const value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && !/\s/.test(value)))
        throw new UsageError(`${name} needs a value.`, usage);
      options.set(name, value);
      i++;
    }
  }
  return { options, positionals };
}
