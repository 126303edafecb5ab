/**
 * One table per command: its name, arguments, options, exit statuses and examples. The help text,
 * the usage line and the parser are all made from that table, so a help can never lack an option
 * the parser accepts, nor list one it refuses. A usage error is one line naming what is wrong
 * (the caller exits 2 with it).
 */
import { parseArgs } from 'node:util';

export interface OptionDef {
  /** The long name, without the dashes. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`-o`). */
  readonly short?: string;
  /** What the value is called in the help (`DIR`, `N`, `us|uk|cept`); string options only. */
  readonly value?: string;
  /** The value when the option is not given; the help says it. */
  readonly default?: string;
  /** A usage error when it is not given. */
  readonly required?: boolean;
  /** May be given more than once; the values are a list. */
  readonly multiple?: boolean;
  readonly description: string;
}

export interface PositionalDef {
  readonly name: string;
  /** May be left out. */
  readonly optional?: boolean;
  /** One or more (only the last positional). */
  readonly repeat?: boolean;
}

export interface CommandSpec<Os extends readonly OptionDef[]> {
  /** `check`, or `dtmf encode` for a subcommand. */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** What the command does, shown after the usage line (may hold several lines). */
  readonly description: string;
  readonly positionals: readonly PositionalDef[];
  readonly options: Os;
  /** The exit statuses, after `exit status: `. */
  readonly exit: string;
  readonly examples: readonly string[];
}

type OptionValue<O extends OptionDef> = O['type'] extends 'boolean'
  ? boolean
  : O extends { readonly multiple: true }
    ? string[]
    : string;

/** The parsed options of a table, by long name. */
export type Values<Os extends readonly OptionDef[]> = { [O in Os[number] as O['name']]?: OptionValue<O> | undefined };

export interface Parsed<Os extends readonly OptionDef[]> {
  values: Values<Os>;
  positionals: string[];
}

/** Every command takes `-h, --help` (handled by the CLI before the command runs). */
export const HELP_OPTION: OptionDef = { name: 'help', type: 'boolean', short: 'h', description: 'this help' };

const WIDTH = 100;

/** `text` broken into lines of at most `width` characters (a longer word gets its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function optionWord(o: OptionDef): string {
  return o.type === 'string' ? `--${o.name} ${o.value ?? 'VALUE'}` : `--${o.name}`;
}

function positionalWord(p: PositionalDef): string {
  const word = p.repeat === true ? `${p.name}...` : p.name;
  return p.optional === true ? `[${word}]` : word;
}

/** The words after `ringdown`: the command, its arguments, then each option (optional ones in brackets). */
function synopsisWords(spec: CommandSpec<readonly OptionDef[]>): string[] {
  return [
    spec.name,
    ...spec.positionals.map(positionalWord),
    ...spec.options.map((o) =>
      o.required === true ? optionWord(o) : `[${optionWord(o)}]${o.multiple === true ? '...' : ''}`,
    ),
  ];
}

/** `ringdown NAME ...` as one line (what the README's synopses are compared with). */
export function synopsis(spec: CommandSpec<readonly OptionDef[]>): string {
  return `ringdown ${synopsisWords(spec).join(' ')}`;
}

/** The usage line, wrapped under the command's name. */
function usageLines(spec: CommandSpec<readonly OptionDef[]>, lead: string): string[] {
  const head = `${lead}ringdown ${spec.name} `;
  // A word such as `[--clips DIR]` is never broken: its spaces are held as U+0001 while wrapping.
  const words = synopsisWords(spec)
    .slice(1)
    .map((w) => w.replaceAll(' ', '\u0001'));
  const lines = wrap(words.join(' '), WIDTH - head.length);
  const indent = ' '.repeat(head.length);
  return lines.map((l, i) => `${i === 0 ? head : indent}${l.replaceAll('\u0001', ' ')}`.trimEnd());
}

/** The `options:` block: each option with its description (and default), then `-h, --help`. */
function optionLines(options: readonly OptionDef[], heading: string, withHelp: boolean): string[] {
  const all = withHelp ? [...options, HELP_OPTION] : options;
  const labels = all.map((o) => `${o.short !== undefined ? `-${o.short}, ` : ''}${optionWord(o)}`);
  const column = Math.max(...labels.map((l) => l.length)) + 4;
  const lines = [heading];
  all.forEach((o, i) => {
    const extra = o.required === true ? ' (required)' : o.default !== undefined ? ` (default ${o.default})` : '';
    const text = wrap(`${o.description}${extra}${o.multiple === true ? '; repeatable' : ''}`, WIDTH - column);
    lines.push(
      `  ${labels[i]!.padEnd(column - 2)}${text[0] ?? ''}`,
      ...text.slice(1).map((t) => `${' '.repeat(column)}${t}`),
    );
  });
  return lines;
}

function footer(exit: string, examples: readonly string[]): string[] {
  return [...wrap(`exit status: ${exit}`, WIDTH), '', 'example:', ...examples.map((e) => `  ${e}`)];
}

export class Command<const Os extends readonly OptionDef[]> {
  constructor(readonly spec: CommandSpec<Os>) {}

  get name(): string {
    return this.spec.name;
  }

  get summary(): string {
    return this.spec.summary;
  }

  /** The usage line(s), starting `usage: ringdown NAME`. */
  get usage(): string {
    return usageLines(this.spec, 'usage: ').join('\n');
  }

  /** The whole `--help` text. */
  get help(): string {
    return [
      this.usage,
      '',
      this.spec.description,
      '',
      ...optionLines(this.spec.options, 'options:', true),
      '',
      ...footer(this.spec.exit, this.spec.examples),
    ].join('\n');
  }

  /** Every long option name the parser accepts (with `help`). */
  get optionNames(): string[] {
    return [...this.spec.options.map((o) => o.name), HELP_OPTION.name];
  }

  /**
   * The options and arguments in `argv`, or the one line saying what is wrong. A string option's
   * value may start with a minus sign when it is a number (`--level-dbfs -20`); any other value
   * starting with `-` is taken for a forgotten value.
   */
  parse(argv: readonly string[]): Parsed<Os> | string {
    const fail = (what: string): string =>
      `ringdown ${this.spec.name}: ${what} (see ringdown ${this.spec.name} --help)`;
    const defs = [...this.spec.options, HELP_OPTION];
    const byName = new Map(defs.map((o) => [o.name, o]));
    const config = Object.fromEntries(
      defs.map((o) => [
        o.name,
        {
          type: o.type,
          ...(o.short !== undefined ? { short: o.short } : {}),
          ...(o.multiple === true ? { multiple: true } : {}),
        },
      ]),
    );
    const { tokens } = parseArgs({
      args: joinNegativeValues([...argv], byName),
      options: config,
      allowPositionals: true,
      strict: false,
      tokens: true,
    });
    const values: Record<string, string | boolean | string[]> = {};
    const positionals: string[] = [];
    for (const token of tokens) {
      if (token.kind === 'positional') positionals.push(token.value);
      if (token.kind !== 'option') continue;
      const def = byName.get(token.name);
      if (def === undefined) return fail(`unknown option ${token.rawName}`);
      if (def.type === 'boolean') {
        if (token.value !== undefined) return fail(`option --${def.name} takes no value`);
        values[def.name] = true;
        continue;
      }
      const value = token.value;
      if (value === undefined || (token.inlineValue !== true && value.startsWith('-') && !isNegativeNumber(value))) {
        return fail(`option --${def.name} needs a value (${def.value ?? 'VALUE'})`);
      }
      if (def.multiple === true) values[def.name] = [...((values[def.name] as string[] | undefined) ?? []), value];
      else values[def.name] = value;
    }
    for (const def of this.spec.options) {
      if (values[def.name] !== undefined) continue;
      if (def.required === true) return fail(`missing required option --${def.name}`);
      if (def.default !== undefined) values[def.name] = def.default;
    }
    const wanted = this.spec.positionals;
    for (let i = positionals.length; i < wanted.length; i++)
      if (wanted[i]!.optional !== true) return fail(`${wanted[i]!.name} is missing`);
    if (positionals.length > wanted.length && wanted.at(-1)?.repeat !== true) {
      return fail(
        `unexpected argument '${positionals[wanted.length]!}'${wanted.length === 0 ? ' (this command takes none)' : ''}`,
      );
    }
    return { values: values as Values<Os>, positionals };
  }
}

function isNegativeNumber(text: string): boolean {
  return /^-(\d|\.\d)/.test(text);
}

/**
 * `--name -20` joined into `--name=-20` for a string option, so a negative number reads as the
 * value (as users type it) and not as an option.
 */
function joinNegativeValues(argv: string[], options: ReadonlyMap<string, OptionDef>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a === '--') return [...joined, ...argv.slice(i)];
    if (
      a.startsWith('--') &&
      options.get(a.slice(2))?.type === 'string' &&
      next !== undefined &&
      isNegativeNumber(next)
    ) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  return joined;
}

/** What a group needs of each subcommand (whatever its options' types). */
export interface Subcommand {
  readonly name: string;
  readonly spec: CommandSpec<readonly OptionDef[]>;
  readonly help: string;
  readonly summary: string;
  parse(argv: readonly string[]): object | string;
}

/** A command with subcommands (`dtmf decode`, `dtmf encode`): one help for them all. */
export class CommandGroup {
  constructor(
    readonly name: string,
    readonly summary: string,
    readonly description: string,
    readonly subcommands: readonly Subcommand[],
    readonly exit: string,
    readonly examples: readonly string[],
  ) {}

  get usage(): string {
    return this.subcommands.flatMap((c, i) => usageLines(c.spec, i === 0 ? 'usage: ' : '       ')).join('\n');
  }

  get help(): string {
    const blocks = this.subcommands.flatMap((c, i) =>
      optionLines(
        c.spec.options,
        `options (${c.name.slice(this.name.length + 1)}):`,
        i === this.subcommands.length - 1,
      ),
    );
    return [this.usage, '', this.description, '', ...blocks, '', ...footer(this.exit, this.examples)].join('\n');
  }

  /** The subcommand `argv` starts with, and the rest; or the one line saying what is wrong. */
  pick(argv: readonly string[]): { command: Subcommand; rest: string[] } | string {
    const [sub, ...rest] = argv;
    const names = this.subcommands.map((c) => c.name.slice(this.name.length + 1));
    const at = sub === undefined ? -1 : names.indexOf(sub);
    if (at < 0) {
      const what =
        sub === undefined ? `${names.join(' or ')} is missing` : `unknown subcommand '${sub}' (${names.join(', ')})`;
      return `ringdown ${this.name}: ${what} (see ringdown ${this.name} --help)`;
    }
    return { command: this.subcommands[at]!, rest };
  }
}
