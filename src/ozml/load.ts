/**
 * From an OzML document to a Menu: parses the XML, then checks every element and attribute of the
 * subset this device runs. Every problem is a positioned Diagnostic; the menu is returned only
 * when there is no error.
 */
import type { Diagnostic } from './diagnostic.js';
import { hasErrors } from './diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from './limits.js';
import {
  KEYS,
  type Command,
  type InputCase,
  type Menu,
  type Position,
  type UserInputCommand,
} from './menu.js';
import { parseXml, type XmlAttribute, type XmlElement } from './xml.js';

/** What a UserInput does when the document does not say. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** The longest Delay or UserInput timeout a menu may ask for, in seconds. */
export const MAX_SECONDS = 3600;

const COMMANDS = ['Delay', 'Speak', 'UserInput', 'Hangup'];

/** Ozeki commands that exist but that a one-line offline device cannot carry out. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  Forward: 'there is no other line to forward the call to',
  BlindTransfer: 'there is no other line to transfer the call to',
  AttendedTransfer: 'there is no other line to transfer the call to',
  Redirect: 'the menu is on the device and cannot be fetched from a URL',
  SendSms: 'the device has no SMS gateway',
  SendSMS: 'the device has no SMS gateway',
  Record: 'the device has no recorder',
  Play: 'Play is not supported yet; use Speak with a clip',
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

  constructor(private readonly limits: MenuLimits) {}

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
    for (const a of element.attributes) {
      const lower = a.name.toLowerCase();
      if (!allowed.some((n) => n.toLowerCase() === lower)) {
        const hint = allowed.length > 0 ? `<${element.name}> takes ${allowed.join(', ')}` : `<${element.name}> takes no attributes`;
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
        this.report('error', child, `text is not allowed directly inside <${element.name}>`, 'put spoken text inside <Speak>');
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
    return text.replace(/\s+/g, ' ').trim();
  }

  seconds(at: Position, raw: string, what: string): number | undefined {
    const text = raw.trim();
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
      this.report('error', at, `${what} must be a number of seconds, got ${JSON.stringify(raw)}`, 'for example 1.5');
      return undefined;
    }
    const value = Number(text);
    if (value > MAX_SECONDS) {
      this.report('error', at, `${what} of ${text} s is longer than the limit of ${MAX_SECONDS} s`);
      return undefined;
    }
    return Math.round(value * 1000);
  }

  commandList(container: XmlElement): Command[] {
    const out: Command[] = [];
    for (const element of this.elementsOf(container)) {
      const command = this.command(element);
      if (command !== undefined) out.push(command);
    }
    return out;
  }

  command(element: XmlElement): Command | undefined {
    if (++this.commands === this.limits.maxCommands + 1) {
      this.report('error', element, `the menu has more than the limit of ${this.limits.maxCommands} commands`);
    }
    switch (element.name) {
      case 'Delay':
        return this.delay(element);
      case 'Speak':
        return this.speak(element);
      case 'Hangup':
        return this.hangup(element);
      case 'UserInput':
        return this.userInput(element);
    }
    const reason = UNSUPPORTED[element.name];
    if (reason !== undefined) {
      this.report('error', element, `<${element.name}> cannot run on this device: ${reason}`);
      return undefined;
    }
    const near = COMMANDS.find((c) => c.toLowerCase() === element.name.toLowerCase());
    this.report(
      'error',
      element,
      `unknown command <${element.name}>`,
      near !== undefined ? `did you mean <${near}>? element names are case-sensitive` : `commands are ${COMMANDS.join(', ')}`,
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
    this.checkAttributes(element, ['Party', 'CallId', 'clip', 'Text']);
    let text = this.textOf(element);
    const textAttribute = this.attribute(element, 'Text');
    if (text === '' && textAttribute !== undefined) text = textAttribute.value.replace(/\s+/g, ' ').trim();
    const clip = this.attribute(element, 'clip');
    if (text === '' && clip === undefined) {
      this.report('error', element, '<Speak> has no text', 'write the words to say between <Speak> and </Speak>');
      return undefined;
    }
    if (clip !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(clip.value)) {
      this.report('error', clip, `clip name ${JSON.stringify(clip.value)} must be a file name without a folder`, 'letters, digits, _ . -');
    }
    const command: Command = { kind: 'speak', text, line: element.line, col: element.col };
    if (clip !== undefined) command.clip = clip.value;
    const callId = this.callId(element);
    if (callId !== undefined) command.callId = callId;
    return command;
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
    this.checkAttributes(element, ['timeout', 'repeat']);
    let timeoutMs = DEFAULT_TIMEOUT_MS;
    const timeout = this.attribute(element, 'timeout');
    if (timeout !== undefined) {
      const ms = this.seconds(timeout, timeout.value, 'timeout');
      if (ms !== undefined) timeoutMs = ms;
    }
    let repeat = false;
    const repeatAttribute = this.attribute(element, 'repeat');
    if (repeatAttribute !== undefined) {
      const value = repeatAttribute.value.trim().toLowerCase();
      if (value === 'true') repeat = true;
      else if (value !== 'false') {
        this.report('error', repeatAttribute, `repeat must be true or false, got ${JSON.stringify(repeatAttribute.value)}`);
      }
    }
    const command: UserInputCommand = {
      kind: 'userinput',
      timeoutMs,
      repeat,
      initial: [],
      inputs: [],
      line: element.line,
      col: element.col,
    };
    const seen: Record<string, true> = {};
    for (const child of this.elementsOf(element)) {
      if (child.name === 'InitialCommands') {
        if (seen[child.name] === true) this.report('error', child, 'a <UserInput> has at most one <InitialCommands>');
        this.checkAttributes(child, []);
        command.initial.push(...this.commandList(child));
      } else if (child.name === 'Inputs') {
        if (seen[child.name] === true) this.report('error', child, 'a <UserInput> has at most one <Inputs>');
        this.checkAttributes(child, []);
        this.inputs(child, command.inputs);
      } else {
        this.report('error', child, `<${child.name}> is not allowed inside <UserInput>`, 'it takes <InitialCommands> and <Inputs>');
      }
      seen[child.name] = true;
    }
    if (command.inputs.length === 0) {
      this.report('warning', element, '<UserInput> has no <Input>: no key can match');
    }
    return command;
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
      if (key.length !== 1 || !KEYS.includes(key)) {
        this.report('error', keyAttribute, `key ${JSON.stringify(keyAttribute.value)} is not a phone key`, `one of ${KEYS.split('').join(' ')}`);
        continue;
      }
      if (out.some((i) => i.key === key)) {
        this.report('error', keyAttribute, `key '${key}' is already used by another <Input> of this <UserInput>`);
        continue;
      }
      out.push({ key, commands: this.commandList(element), line: element.line, col: element.col });
    }
  }

  menu(root: XmlElement): Menu {
    if (root.name !== 'Response') {
      this.report('error', root, `the root element must be <Response>, not <${root.name}>`);
    }
    this.checkAttributes(root, []);
    return { commands: this.commandList(root) };
  }
}

/** Parses and checks an OzML document. Never throws for any input string. */
export function loadMenu(text: string, limits: MenuLimits = DEFAULT_LIMITS): LoadResult {
  const xml = parseXml(text, limits);
  if (!xml.ok) return { diagnostics: [xml.error] };
  const loader = new Loader(limits);
  const menu = loader.menu(xml.root);
  const diagnostics = loader.diagnostics;
  return hasErrors(diagnostics) ? { diagnostics } : { menu, diagnostics };
}
