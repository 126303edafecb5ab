/**
 * From an OzML document to a Menu: parses the XML, then checks every element and attribute of the
 * subset this device runs. Every problem is a positioned Diagnostic; the menu is returned only
 * when there is no error.
 */
import type { Diagnostic } from './diagnostic.js';
import { hasErrors } from './diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from './limits.js';
import {
  DEFAULT_TIME_LIMIT_MS,
  KEYS,
  type Command,
  type InputCase,
  type Menu,
  type Position,
  type RecordCommand,
  type SpeakCommand,
  type UserInputCommand,
} from './menu.js';
import { parseXml, type XmlAttribute, type XmlElement } from './xml.js';

/** What a UserInput does when the document does not say. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** How many times `repeat="true"` plays a prompt in all, so an unanswered menu ends. */
export const MAX_PASSES = 5;
/** The longest Delay or UserInput timeout a menu may ask for, in seconds. */
export const MAX_SECONDS = 3600;

/** The longest `TimeLimit` a menu may ask for, in seconds. */
export const MAX_TIME_LIMIT_SECONDS = 86_400;
/** The longest clip name (`clip=`, Play's file name): clips are files and resources on the device. */
export const MAX_CLIP_NAME_CHARS = 64;
/** An audio file's extension, as a Play names it (`welcome.wav`): the clip is the name without it. */
export const AUDIO_EXTENSION = /\.(wav|mp3|maud|ogg|oga|flac)$/i;

/** The most digits one entry may collect. */
export const MAX_DIGITS = 32;
/** Default pause allowed between the keys of a multi-digit entry: a rotary dial's 0 takes ~1 s. */
export const DEFAULT_INTER_DIGIT_MS = 5000;

const COMMANDS = ['Delay', 'Speak', 'Play', 'UserInput', 'Hangup', 'Output', 'Record'];

/** Record's longest `Duration` when the document does not say, in seconds. */
export const DEFAULT_RECORD_SECONDS = 60;
/** Record's `Inactivity` when the document does not say, in seconds. */
export const DEFAULT_INACTIVITY_SECONDS = 5;
/** Record's `FinishDigits` when the document does not say. */
export const DEFAULT_FINISH_DIGITS = '#';
/** Record's name pattern when neither `file` nor `clip` is given. */
export const DEFAULT_RECORD_FILE = 'rec-{n}';
/** What Record says when the recording store has no room (`full` when the document does not say). */
export const DEFAULT_FULL_TEXT = 'Sorry, the message box is full.';

/** Ozeki commands that exist but that a one-line offline device cannot carry out. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  Forward: 'there is no other line to forward the call to',
  BlindTransfer: 'there is no other line to transfer the call to',
  AttendedTransfer: 'there is no other line to transfer the call to',
  Redirect: 'the menu is on the device and cannot be fetched from a URL',
  SendSms: 'the device has no SMS gateway',
  SendSMS: 'the device has no SMS gateway',
  Conference: 'the device has one line',
  Call: 'the device cannot place calls',
};

export interface LoadResult {
  menu?: Menu;
  diagnostics: Diagnostic[];
}

class Loader {
  readonly diagnostics: Diagnostic[] = [];
  private commands = 0;
  private commandLimitReported = false;
  /** How many Inputs enclose the element being read (a UserInput inside one is a sub-menu). */
  private inputDepth = 0;

  constructor(
    private readonly limits: MenuLimits,
    private readonly outputs: readonly string[] | undefined,
  ) {}

  report(severity: Diagnostic['severity'], at: Position, message: string, hint?: string): void {
    const d: Diagnostic = { severity, line: at.line, col: at.col, message };
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
  }

  /** Attribute lookup, case-insensitive as Ozeki's own examples are. */
  attribute(element: XmlElement, name: string): XmlAttribute | undefined {
    const lower = name.toLowerCase();
    return element.attributes.find((a) => a.name.toLowerCase() === lower);
  }

  checkAttributes(element: XmlElement, allowed: readonly string[]): void {
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i]!;
      const lower = a.name.toLowerCase();
      // The lookup is case-insensitive, so two spellings of one name would silently pick the first.
      const first = attributes.find((b, j) => j < i && b.name.toLowerCase() === lower);
      if (first !== undefined) {
        this.report(
          'error',
          a,
          `attribute '${a.name}' repeats '${first.name}'`,
          'attribute names are matched case-insensitively: keep one',
        );
        continue;
      }
      if (!allowed.some((n) => n.toLowerCase() === lower)) {
        const hint =
          allowed.length > 0
            ? `<${element.name}> takes ${allowed.join(', ')}`
            : `<${element.name}> takes no attributes`;
        this.report('warning', a, `unknown attribute '${a.name}' on <${element.name}> is ignored`, hint);
      }
    }
  }

  /** Only elements (and white space or comments) may appear in a container element. */
  elementsOf(element: XmlElement): XmlElement[] {
    const out: XmlElement[] = [];
    for (const child of element.children) {
      if (child.kind === 'element') out.push(child);
      else if (child.significant) {
        this.report(
          'error',
          child,
          `text is not allowed directly inside <${element.name}>`,
          'put spoken text inside <Speak>',
        );
      }
    }
    return out;
  }

  /** The text content of a leaf element; nested elements are errors. */
  textOf(element: XmlElement): string {
    let text = '';
    for (const child of element.children) {
      if (child.kind === 'text') text += child.text;
      else this.report('error', child, `<${child.name}> is not allowed inside <${element.name}>`);
    }
    text = text.replace(/\s+/g, ' ').trim();
    // The parser bounds each text node; comments, CDATA and PIs may split one text into many.
    if (text.length > this.limits.maxTextChars) {
      this.report(
        'error',
        element,
        `text of <${element.name}> is longer than the limit of ${this.limits.maxTextChars} characters`,
      );
      return text.slice(0, this.limits.maxTextChars);
    }
    return text;
  }

  /** Counts `n` commands against the menu's limit; reports the element that goes over it, once. */
  countCommands(element: XmlElement, n: number): void {
    this.commands += n;
    if (this.commands > this.limits.maxCommands && !this.commandLimitReported) {
      this.commandLimitReported = true;
      this.report('error', element, `the menu has more than the limit of ${this.limits.maxCommands} commands`);
    }
  }

  /** Why `pattern` (Record `file`, a Speak `clip` with `{n}`) is not a recording name pattern. */
  patternProblem(pattern: string, what: string): string | undefined {
    const plain = pattern.trim().replace('{n}', '1');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(plain))
      return `${what} ${JSON.stringify(pattern)} must be a name without a folder or extension, with at most one {n}`;
    return this.clipNameProblem(pattern.trim().replace('{n}', '999999'));
  }

  /** Why a Record's name has an audio extension: the store adds `.wav` itself (`x.wav` would be `x.wav.wav`). */
  extensionProblem(name: string, what: string): string | undefined {
    if (!AUDIO_EXTENSION.test(name)) return undefined;
    return `${what} ${JSON.stringify(name)} has an extension: a recording is saved as NAME.wav, so this one would be ${JSON.stringify(`${name}.wav`)}`;
  }

  /** A clip name (from `clip=` or a Play's file): a bounded file name without a folder. */
  clipNameProblem(clip: string): string | undefined {
    if (clip.length > MAX_CLIP_NAME_CHARS)
      return `clip name is longer than the limit of ${MAX_CLIP_NAME_CHARS} characters`;
    return undefined;
  }

  seconds(at: Position, raw: string, what: string, max = MAX_SECONDS): number | undefined {
    const text = raw.trim();
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
      this.report('error', at, `${what} must be a number of seconds, got ${JSON.stringify(raw)}`, 'for example 1.5');
      return undefined;
    }
    const value = Number(text);
    if (value > max) {
      this.report('error', at, `${what} of ${text} s is longer than the limit of ${max} s`);
      return undefined;
    }
    return Math.round(value * 1000);
  }

  /** A whole-number attribute within [min, max], or undefined (reported) when it is not one. */
  count(element: XmlElement, name: string, min: number, max: number): number | undefined {
    const a = this.attribute(element, name);
    if (a === undefined) return undefined;
    const text = a.value.trim();
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      this.report('error', a, `${a.name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(a.value)}`);
      return undefined;
    }
    return value;
  }

  /** A true/false attribute (case-insensitive), or `fallback` when absent or invalid (reported). */
  flag(element: XmlElement, name: string, fallback: boolean): boolean {
    const a = this.attribute(element, name);
    if (a === undefined) return fallback;
    const value = a.value.trim().toLowerCase();
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.report('error', a, `${a.name} must be true or false, got ${JSON.stringify(a.value)}`);
    return fallback;
  }

  /** A single phone key attribute, upper-cased; undefined when absent or invalid (reported). */
  keyAttribute(element: XmlElement, name: string): string | undefined {
    const a = this.attribute(element, name);
    if (a === undefined) return undefined;
    const key = a.value.trim().toUpperCase();
    if (key.length !== 1 || !KEYS.includes(key)) {
      this.report(
        'error',
        a,
        `${a.name} ${JSON.stringify(a.value)} is not a phone key`,
        `one of ${KEYS.split('').join(' ')}`,
      );
      return undefined;
    }
    return key;
  }

  commandList(container: XmlElement): Command[] {
    const out: Command[] = [];
    for (const element of this.elementsOf(container)) {
      const command = this.command(element);
      if (Array.isArray(command)) out.push(...command);
      else if (command !== undefined) out.push(command);
    }
    return out;
  }

  command(element: XmlElement): Command | Command[] | undefined {
    // A Play with Repeat="N" counts N (see play()).
    if (element.name !== 'Play') this.countCommands(element, 1);
    switch (element.name) {
      case 'Delay':
        return this.delay(element);
      case 'Speak':
        return this.speak(element);
      case 'Play':
        return this.play(element);
      case 'Output':
        return this.output(element);
      case 'Hangup':
        return this.hangup(element);
      case 'UserInput':
        return this.userInput(element);
      case 'Record':
        return this.record(element);
    }
    const reason = Object.hasOwn(UNSUPPORTED, element.name) ? UNSUPPORTED[element.name] : undefined;
    if (reason !== undefined) {
      this.report('error', element, `<${element.name}> cannot run on this device: ${reason}`);
      return undefined;
    }
    const near = COMMANDS.find((c) => c.toLowerCase() === element.name.toLowerCase());
    this.report(
      'error',
      element,
      `unknown command <${element.name}>`,
      near !== undefined
        ? `did you mean <${near}>? element names are case-sensitive`
        : `commands are ${COMMANDS.join(', ')}`,
    );
    return undefined;
  }

  delay(element: XmlElement): Command | undefined {
    this.checkAttributes(element, []);
    const ms = this.seconds(element, this.textOf(element), 'Delay');
    return ms === undefined ? undefined : { kind: 'delay', ms, line: element.line, col: element.col };
  }

  callId(element: XmlElement): string | undefined {
    const a = this.attribute(element, 'CallId');
    if (a === undefined) return undefined;
    this.report(
      'warning',
      a,
      `CallId '${a.value}' names another call: this one-line device has only its own call, so this <${element.name}> does nothing`,
      'remove CallId to act on this call',
    );
    return a.value;
  }

  speak(element: XmlElement): Command | undefined {
    this.checkAttributes(element, ['Party', 'CallId', 'clip', 'Text', 'BargeIn']);
    let text = this.textOf(element);
    const textAttribute = this.attribute(element, 'Text');
    if (text === '' && textAttribute !== undefined) text = textAttribute.value.replace(/\s+/g, ' ').trim();
    const clip = this.attribute(element, 'clip');
    if (text === '' && clip === undefined) {
      this.report('error', element, '<Speak> has no text', 'write the words to say between <Speak> and </Speak>');
      return undefined;
    }
    // biome-ignore lint/complexity/useOptionalChain: the explicit check narrows clip for the uses below
    const newest = clip !== undefined && clip.value.includes('{n}');
    if (newest) {
      const problem = this.patternProblem(clip.value, 'clip');
      if (problem !== undefined) this.report('error', clip, problem, 'for example clip="msg-{n}"');
      else if (text === '') {
        this.report(
          'error',
          clip,
          `clip ${JSON.stringify(clip.value)} plays the newest recording of that pattern; the <Speak> needs a text to say when there is none`,
          'for example <Speak clip="msg-{n}">There are no messages.</Speak>',
        );
      }
    } else if (clip !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(clip.value)) {
      this.report(
        'error',
        clip,
        `clip name ${JSON.stringify(clip.value)} must be a file name without a folder`,
        'letters, digits, _ . -',
      );
    } else if (clip !== undefined) {
      const problem = this.clipNameProblem(clip.value);
      if (problem !== undefined) this.report('error', clip, problem);
    }
    const bargeIn = this.flag(element, 'BargeIn', true);
    const command: Command = { kind: 'speak', text, bargeIn, line: element.line, col: element.col };
    if (newest) command.newest = clip.value;
    else if (clip !== undefined) command.clip = clip.value;
    const callId = this.callId(element);
    if (callId !== undefined) command.callId = callId;
    return command;
  }

  /** Ozeki's Play: an audio file by name (body or AudioFile), here a clip of the clip folder. */
  play(element: XmlElement): Command[] | undefined {
    this.checkAttributes(element, ['AudioFile', 'Repeat', 'Party', 'CallId', 'BargeIn']);
    const attribute = this.attribute(element, 'AudioFile');
    const file = (attribute?.value ?? this.textOf(element)).trim();
    if (file === '') {
      this.report(
        'error',
        element,
        '<Play> names no audio file',
        'write <Play>welcome.wav</Play> or AudioFile="welcome.wav"',
      );
      return undefined;
    }
    const base = file.split(/[\\/]/).pop() ?? file;
    const clip = base.replace(AUDIO_EXTENSION, '');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(clip)) {
      this.report(
        'error',
        attribute ?? element,
        `audio file ${JSON.stringify(file)} does not name a clip`,
        'letters, digits, _ . - then .wav',
      );
      return undefined;
    }
    const repeat = this.count(element, 'Repeat', 1, 20) ?? 1;
    this.countCommands(element, repeat);
    const problem = this.clipNameProblem(clip);
    if (problem !== undefined) {
      this.report('error', attribute ?? element, problem);
      return undefined;
    }
    const command: Command = {
      kind: 'speak',
      text: file,
      clip,
      bargeIn: this.flag(element, 'BargeIn', true),
      line: element.line,
      col: element.col,
    };
    const callId = this.callId(element);
    if (callId !== undefined) command.callId = callId;
    // Repeat="N" is N plays in a row.
    return Array.from({ length: repeat }, () => ({ ...command }));
  }

  /** Our Output command: set or pulse a named output of the board. */
  output(element: XmlElement): Command | undefined {
    this.checkAttributes(element, ['name', 'value', 'pulse']);
    const nameAttribute = this.attribute(element, 'name');
    if (nameAttribute === undefined) {
      this.report('error', element, '<Output> has no name', 'write <Output name="door" pulse="3"/>');
      return undefined;
    }
    const name = nameAttribute.value.trim();
    if (this.outputs !== undefined && !this.outputs.includes(name)) {
      const known = this.outputs.length > 0 ? `this board has ${this.outputs.join(', ')}` : 'this board has no outputs';
      this.report('error', nameAttribute, `unknown output '${name}'`, known);
      return undefined;
    }
    let on = true;
    const value = this.attribute(element, 'value');
    if (value !== undefined) {
      const v = value.value.trim().toLowerCase();
      if (v === 'off' || v === 'false' || v === '0') on = false;
      else if (!(v === 'on' || v === 'true' || v === '1')) {
        this.report('error', value, `value must be on or off, got ${JSON.stringify(value.value)}`);
        return undefined;
      }
    }
    const command: Command = { kind: 'output', name, on, line: element.line, col: element.col };
    const pulse = this.attribute(element, 'pulse');
    if (pulse !== undefined) {
      if (!on)
        this.report('error', pulse, 'a pulse turns an output on for a time; it cannot be combined with value="off"');
      const ms = this.seconds(pulse, pulse.value, 'pulse', 600);
      if (ms !== undefined) command.pulseMs = ms;
    }
    return command;
  }

  /** Ozeki's Record with its attributes, and ours: file (name pattern), clip, beep. */
  record(element: XmlElement): RecordCommand | undefined {
    this.checkAttributes(element, [
      'Duration',
      'Inactivity',
      'FinishDigits',
      'Format',
      'FinishedUrl',
      'file',
      'clip',
      'beep',
      'full',
      'Party',
    ]);
    if (this.textOf(element) !== '') this.report('error', element, '<Record> takes no text');
    const maxMs = this.recordSeconds(element, 'Duration', DEFAULT_RECORD_SECONDS, true);
    const inactivityMs = this.recordSeconds(element, 'Inactivity', DEFAULT_INACTIVITY_SECONDS, false);
    const finishDigits = this.recordFinishDigits(element);
    const formatOk = this.recordFormatOk(element);
    const url = this.attribute(element, 'FinishedUrl');
    if (url !== undefined) {
      this.report(
        'warning',
        url,
        'FinishedUrl is never called: this offline device has no server',
        'the recording stays on the device; remove FinishedUrl',
      );
    }
    const file = this.recordTarget(element);
    const beep = this.flag(element, 'beep', false);
    const full = this.recordFullPrompt(element);
    if (
      maxMs === undefined ||
      inactivityMs === undefined ||
      finishDigits === undefined ||
      !formatOk ||
      file === undefined ||
      full === undefined
    )
      return undefined;
    const command: RecordCommand = {
      kind: 'record',
      maxMs,
      inactivityMs,
      finishDigits,
      file,
      clip: this.attribute(element, 'clip') !== undefined,
      beep,
      full,
      line: element.line,
      col: element.col,
    };
    if (url !== undefined) command.finishedUrl = url.value;
    return command;
  }

  /** A Record time attribute in ms (the default when absent); undefined after reporting an error. */
  private recordSeconds(element: XmlElement, name: string, fallback: number, positive: boolean): number | undefined {
    const attribute = this.attribute(element, name);
    if (attribute === undefined) return fallback * 1000;
    const ms = this.seconds(attribute, attribute.value, name);
    if (ms === 0 && positive) {
      this.report('error', attribute, `${name} must be more than 0 s`);
      return undefined;
    }
    return ms;
  }

  /** The keys that end a recording; undefined after reporting an error. */
  private recordFinishDigits(element: XmlElement): string | undefined {
    const finish = this.attribute(element, 'FinishDigits');
    if (finish === undefined) return DEFAULT_FINISH_DIGITS;
    const keys = finish.value.trim().toUpperCase();
    if (/^[0-9*#A-D]*$/.test(keys)) return keys;
    this.report(
      'error',
      finish,
      `FinishDigits ${JSON.stringify(finish.value)} must be phone keys`,
      'any of 0-9 * # A B C D, or "" for none',
    );
    return undefined;
  }

  /** Format may only name the WAV this device records. */
  private recordFormatOk(element: XmlElement): boolean {
    const format = this.attribute(element, 'Format');
    if (format === undefined || format.value.trim().toLowerCase() === 'wav') return true;
    this.report(
      'error',
      format,
      `Format ${JSON.stringify(format.value)} is not one this device records`,
      'write Format="wav" (8 kHz 16-bit mono)',
    );
    return false;
  }

  /** The file name pattern or clip name a Record writes; undefined after reporting an error. */
  private recordTarget(element: XmlElement): string | undefined {
    const fileAttribute = this.attribute(element, 'file');
    const clipAttribute = this.attribute(element, 'clip');
    if (fileAttribute !== undefined && clipAttribute !== undefined) {
      this.report(
        'error',
        clipAttribute,
        '<Record> takes file or clip, not both',
        'file="msg-{n}" keeps every message; clip="greeting" replaces a clip',
      );
      return undefined;
    }
    if (clipAttribute !== undefined) {
      const clip = clipAttribute.value.trim();
      const extension = this.extensionProblem(clip, 'clip');
      const problem =
        extension ??
        (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(clip)
          ? this.clipNameProblem(clip)
          : `clip name ${JSON.stringify(clipAttribute.value)} must be a file name without a folder`);
      if (problem === undefined) return clip;
      this.report(
        'error',
        clipAttribute,
        problem,
        extension !== undefined ? `write clip="${clip.replace(AUDIO_EXTENSION, '')}"` : 'letters, digits, _ . -',
      );
      return undefined;
    }
    if (fileAttribute === undefined) return DEFAULT_RECORD_FILE;
    const file = fileAttribute.value.trim();
    const extension = this.extensionProblem(file, 'file');
    const problem = extension ?? this.patternProblem(file, 'file');
    if (problem === undefined) return file;
    this.report(
      'error',
      fileAttribute,
      problem,
      extension !== undefined ? `write file="${file.replace(AUDIO_EXTENSION, '')}"` : 'for example file="msg-{n}"',
    );
    return undefined;
  }

  /** The words played when the store has no room; undefined after reporting an error. */
  private recordFullPrompt(element: XmlElement): SpeakCommand | undefined {
    const fullAttribute = this.attribute(element, 'full');
    const fullText = fullAttribute !== undefined ? fullAttribute.value.replace(/\s+/g, ' ').trim() : DEFAULT_FULL_TEXT;
    if (fullText === '') {
      this.report(
        'error',
        fullAttribute!,
        '<Record> full must say something',
        `the words played when there is no room to record, for example full="${DEFAULT_FULL_TEXT}"`,
      );
      return undefined;
    }
    const at = fullAttribute ?? element;
    return { kind: 'speak', text: fullText, bargeIn: true, line: at.line, col: at.col };
  }

  hangup(element: XmlElement): Command | undefined {
    this.checkAttributes(element, ['CallId']);
    if (this.textOf(element) !== '') this.report('error', element, '<Hangup> takes no text');
    const command: Command = { kind: 'hangup', line: element.line, col: element.col };
    const callId = this.callId(element);
    if (callId !== undefined) command.callId = callId;
    return command;
  }

  userInput(element: XmlElement): UserInputCommand | undefined {
    this.checkAttributes(element, [
      'timeout',
      'repeat',
      'Digits',
      'MinDigits',
      'MaxDigits',
      'FinishOnKey',
      'InterDigitTimeout',
      'BackKey',
      'MaxNoInput',
      'MaxNoMatch',
    ]);
    let timeoutMs = DEFAULT_TIMEOUT_MS;
    const timeout = this.attribute(element, 'timeout');
    if (timeout !== undefined) timeoutMs = this.seconds(timeout, timeout.value, 'timeout') ?? timeoutMs;
    const repeat = this.flag(element, 'repeat', false);
    let interDigitMs = DEFAULT_INTER_DIGIT_MS;
    const interDigit = this.attribute(element, 'InterDigitTimeout');
    if (interDigit !== undefined)
      interDigitMs = this.seconds(interDigit, interDigit.value, 'InterDigitTimeout', 60) ?? interDigitMs;
    let terminator = '#';
    const finish = this.attribute(element, 'FinishOnKey');
    if (finish !== undefined)
      terminator = finish.value.trim() === '' ? '' : (this.keyAttribute(element, 'FinishOnKey') ?? '#');
    const command: UserInputCommand = {
      kind: 'userinput',
      timeoutMs,
      repeat,
      initial: [],
      inputs: [],
      multiDigit: false,
      minDigits: 1,
      maxDigits: 1,
      terminator,
      interDigitMs,
      maxNoInput: this.count(element, 'MaxNoInput', 1, 20) ?? (repeat ? MAX_PASSES : 1),
      noInput: [],
      noMatch: [],
      line: element.line,
      col: element.col,
    };
    const backKey = this.keyAttribute(element, 'BackKey');
    if (backKey !== undefined) {
      command.backKey = backKey;
      if (this.inputDepth === 0)
        this.report(
          'warning',
          this.attribute(element, 'BackKey')!,
          'BackKey does nothing on a UserInput that is not inside an <Input>',
        );
    }
    const seen = this.userInputSections(element, command);
    const maxNoMatch = this.count(element, 'MaxNoMatch', 1, 20);
    if (maxNoMatch !== undefined) command.maxNoMatch = maxNoMatch;
    else if (seen.has('NoMatch')) command.maxNoMatch = 3;
    this.digits(element, command);
    if (command.inputs.length === 0) {
      this.report('warning', element, '<UserInput> has no <Input>: no key can match');
    }
    return command;
  }

  /** Reads a UserInput's sections into `command`; returns the names of those present. */
  private userInputSections(element: XmlElement, command: UserInputCommand): Set<string> {
    const seen = new Set<string>();
    for (const child of this.elementsOf(element)) {
      const once = (): void => {
        if (seen.has(child.name)) this.report('error', child, `a <UserInput> has at most one <${child.name}>`);
        seen.add(child.name);
        this.checkAttributes(child, []);
      };
      if (child.name === 'InitialCommands') {
        once();
        command.initial.push(...this.commandList(child));
      } else if (child.name === 'Inputs') {
        once();
        this.inputs(child, command.inputs);
      } else if (child.name === 'NoInput') {
        once();
        command.noInput.push(...this.commandList(child));
      } else if (child.name === 'NoMatch') {
        once();
        command.noMatch.push(...this.commandList(child));
      } else if (child.name === 'Failed') {
        once();
        command.failed = this.commandList(child);
      } else {
        this.report(
          'error',
          child,
          `<${child.name}> is not allowed inside <UserInput>`,
          'it takes <InitialCommands>, <Inputs>, <NoInput>, <NoMatch> and <Failed>',
        );
      }
    }
    return seen;
  }

  /** Works out single-key or multi-digit entry and checks that every Input can match. */
  private digits(element: XmlElement, command: UserInputCommand): void {
    const digits = this.count(element, 'Digits', 1, MAX_DIGITS);
    const longest = command.inputs.reduce((n, i) => Math.max(n, i.key.length), 1);
    const max = this.count(element, 'MaxDigits', 1, MAX_DIGITS) ?? digits ?? longest;
    const min = this.count(element, 'MinDigits', 1, MAX_DIGITS) ?? digits ?? 1;
    command.multiDigit = max > 1;
    command.maxDigits = max;
    command.minDigits = Math.min(min, max);
    if (min > max) this.report('error', element, `MinDigits ${min} is more than MaxDigits ${max}`);
    for (const input of command.inputs) {
      if (command.backKey !== undefined && input.key === command.backKey) {
        this.report('error', input, `key '${input.key}' is the BackKey of this <UserInput>`);
      }
      if (!command.multiDigit) continue;
      if (input.key === command.terminator) {
        this.report(
          'error',
          input,
          `key '${input.key}' ends every entry (FinishOnKey), so this <Input> can never match`,
          'set FinishOnKey="" or another key',
        );
      } else if (input.key.length > 1 && (input.key.length < command.minDigits || input.key.length > max)) {
        this.report(
          'error',
          input,
          `key '${input.key}' has ${input.key.length} digits; this <UserInput> takes ${command.minDigits} to ${max}`,
        );
      }
    }
  }

  inputs(container: XmlElement, out: InputCase[]): void {
    for (const element of this.elementsOf(container)) {
      if (element.name !== 'Input') {
        this.report('error', element, `<${element.name}> is not allowed inside <Inputs>`, 'it takes <Input key="1">');
        continue;
      }
      this.checkAttributes(element, ['key']);
      const keyAttribute = this.attribute(element, 'key');
      if (keyAttribute === undefined) {
        this.report('error', element, '<Input> has no key', 'write <Input key="1">');
        continue;
      }
      const key = keyAttribute.value.trim().toUpperCase();
      const valid = key.length === 1 ? KEYS.includes(key) : key.length <= MAX_DIGITS && /^[0-9*#A-D]+$/.test(key);
      if (!valid) {
        this.report(
          'error',
          keyAttribute,
          `key ${JSON.stringify(keyAttribute.value)} is not a phone key`,
          `one of ${KEYS.split('').join(' ')}, or a string of digits for multi-digit entry`,
        );
        continue;
      }
      if (out.some((i) => i.key === key)) {
        this.report('error', keyAttribute, `key '${key}' is already used by another <Input> of this <UserInput>`);
        continue;
      }
      this.inputDepth++;
      out.push({ key, commands: this.commandList(element), line: element.line, col: element.col });
      this.inputDepth--;
    }
  }

  menu(root: XmlElement): Menu {
    if (root.name !== 'Response') {
      this.report('error', root, `the root element must be <Response>, not <${root.name}>`);
    }
    this.checkAttributes(root, ['TypeAhead', 'TimeLimit']);
    const typeAhead = this.flag(root, 'TypeAhead', false);
    let timeLimitMs = DEFAULT_TIME_LIMIT_MS;
    const limit = this.attribute(root, 'TimeLimit');
    if (limit !== undefined) {
      const ms = this.seconds(limit, limit.value, 'TimeLimit', MAX_TIME_LIMIT_SECONDS);
      if (ms === 0) this.report('error', limit, 'TimeLimit must be more than 0 s');
      else if (ms !== undefined) timeLimitMs = ms;
    }
    return { commands: this.commandList(root), typeAhead, timeLimitMs };
  }
}

/**
 * Parses and checks an OzML document. Never throws for any input string. `outputs` are the
 * board's output names; when given, an Output naming another is an error.
 */
export function loadMenu(text: string, limits: MenuLimits = DEFAULT_LIMITS, outputs?: readonly string[]): LoadResult {
  const xml = parseXml(text, limits);
  if (!xml.ok) return { diagnostics: [xml.error] };
  const loader = new Loader(limits, outputs);
  const menu = loader.menu(xml.root);
  const diagnostics = loader.diagnostics;
  return hasErrors(diagnostics) ? { diagnostics } : { menu, diagnostics };
}
