/**
 * A small strict XML parser for menus: elements, attributes, text, comments, CDATA and processing
 * instructions, with the five predefined entities and character references. Every node carries its
 * 1-based line and column; the first well-formedness error stops the parse and is reported at its
 * position. DOCTYPE declarations are refused, so no entity can expand (no "billion laughs").
 *
 * It works on a string with charCodeAt and indexOf only, and allocates one object per node, so it
 * is cheap on the XS engine.
 */
import type { Diagnostic } from './diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from './limits.js';

export interface XmlAttribute {
  name: string;
  value: string;
  line: number;
  col: number;
}

export interface XmlText {
  kind: 'text';
  text: string;
  /** True when the text came from CDATA or contains non-white-space characters. */
  significant: boolean;
  /** Where the text shows: its first character that is not white space (its start when there is none). */
  line: number;
  col: number;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  line: number;
  col: number;
}

export type XmlNode = XmlElement | XmlText;

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; error: Diagnostic };

class XmlError {
  constructor(
    readonly offset: number,
    readonly message: string,
    readonly hint?: string,
  ) {}
}

const LT = 60; // <
const GT = 62; // >
const AMP = 38; // &
const SLASH = 47; // /
const EQ = 61; // =
const QUOT = 34; // "
const APOS = 39; // '
const QUESTION = 63; // ?
const BANG = 33; // !

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || (c >= 0xc0 && c <= 0xfffd);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
}

/** XML 1.0 Char production, for one UTF-16 code unit (surrogates pass as pairs). */
function isXmlChar(c: number): boolean {
  if (c >= 0x20) return c !== 0xfffe && c !== 0xffff;
  return c === 9 || c === 10 || c === 13;
}

/** Characters that need `decode`'s slow path: '&' and those outside XML's Char production. */
const SPECIAL_IN_TEXT = /[&\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
/** The same, plus the white space an attribute value normalizes to a space. */
const SPECIAL_IN_ATTRIBUTE = /[&\x00-\x1F\uFFFE\uFFFF]/;

/** An XML name as isNameStart/isNameChar define it, matched natively from `lastIndex`. */
const NAME = /[A-Za-z_:\u00C0-\uFFFD][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFD]*/y;

const NOT_SPACE = /[^ \t\r\n]/;

/** XML 1.0's XMLDecl: version, then optional encoding and standalone, in that order. */
const XML_DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>$/;

const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

class Parser {
  private pos = 0;
  private elements = 0;
  private readonly lineStarts: number[] = [0];
  /** Index in lineStarts of the last position asked for. */
  private lastLine = 0;

  constructor(
    private readonly src: string,
    private readonly limits: MenuLimits,
  ) {
    // A line ends at LF, CRLF or a lone CR (XML normalizes all three to LF).
    const ends = /\r\n?|\n/g;
    for (let m = ends.exec(src); m !== null; m = ends.exec(src)) this.lineStarts.push(m.index + m[0].length);
  }

  position(offset: number): { line: number; col: number } {
    const starts = this.lineStarts;
    // Nodes ask in document order: walk on from the last answer, else search.
    let lo = this.lastLine;
    if (starts[lo]! <= offset) {
      while (lo + 1 < starts.length && starts[lo + 1]! <= offset) lo++;
    } else {
      lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
    }
    this.lastLine = lo;
    // A byte order mark is not a column.
    const bom = lo === 0 && offset > 0 && this.src.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { line: lo + 1, col: offset - starts[lo]! + 1 - bom };
  }

  private fail(offset: number, message: string, hint?: string): never {
    throw new XmlError(offset, message, hint);
  }

  private describe(offset: number): string {
    if (offset >= this.src.length) return 'end of file';
    const c = this.src.charCodeAt(offset);
    if (c < 0x20 || c === 0x7f) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    return `'${this.src[offset]}'`;
  }

  parseDocument(): XmlElement {
    const src = this.src;
    if (src.length > this.limits.maxChars) {
      this.fail(this.limits.maxChars, `document is longer than the limit of ${this.limits.maxChars} characters`);
    }
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
    if (src.charCodeAt(this.pos) === 0xfeff)
      this.fail(this.pos, 'a second byte order mark (U+FEFF)', 'save the menu with at most one');
    // The XML declaration, if any, is the very first thing (after a byte order mark).
    if (this.isXmlDeclaration(this.pos)) this.skipXmlDeclaration();
    this.skipMisc();
    if (this.pos >= src.length) this.fail(this.pos, 'no root element: the document is empty');
    if (src.charCodeAt(this.pos) !== LT) {
      this.fail(this.pos, `text before the root element: ${this.describe(this.pos)}`);
    }
    const root = this.parseElement(1);
    this.skipMisc();
    if (this.pos < src.length) {
      this.fail(this.pos, 'content after the root element', 'a menu has exactly one <Response> root');
    }
    return root;
  }

  /** Whether a `<?xml` processing instruction (target `xml` in any case) starts at `offset`. */
  private isXmlDeclaration(offset: number): boolean {
    const src = this.src;
    return (
      src.startsWith('<?', offset) &&
      src.slice(offset + 2, offset + 5).toLowerCase() === 'xml' &&
      !isNameChar(src.charCodeAt(offset + 5))
    );
  }

  private skipXmlDeclaration(): void {
    const start = this.pos;
    const end = this.src.indexOf('?>', start + 2);
    if (end < 0) this.fail(start, "unterminated XML declaration: missing '?>'");
    this.checkChars(start, end);
    if (!XML_DECLARATION.test(this.src.slice(start, end + 2))) {
      this.fail(start, 'malformed XML declaration', 'write <?xml version="1.0" encoding="UTF-8"?>');
    }
    this.pos = end + 2;
  }

  /** Skips white space, comments and processing instructions outside the root element. */
  private skipMisc(): void {
    const src = this.src;
    for (;;) {
      while (this.pos < src.length && isSpace(src.charCodeAt(this.pos))) this.pos++;
      if (src.startsWith('<?', this.pos)) {
        this.skipProcessingInstruction();
      } else if (src.startsWith('<!--', this.pos)) {
        this.skipComment();
      } else if (src.startsWith('<!DOCTYPE', this.pos)) {
        this.fail(this.pos, 'DOCTYPE declarations are not supported in menus', 'remove the <!DOCTYPE ...> line');
      } else {
        return;
      }
    }
  }

  private skipProcessingInstruction(): void {
    if (this.isXmlDeclaration(this.pos)) this.fail(this.pos, 'XML declaration is only allowed at the very start');
    NAME.lastIndex = this.pos + 2;
    if (!NAME.test(this.src))
      this.fail(this.pos + 2, `expected a processing instruction target, found ${this.describe(this.pos + 2)}`);
    const end = this.src.indexOf('?>', this.pos + 2);
    if (end < 0) this.fail(this.pos, "unterminated processing instruction: missing '?>'");
    this.checkChars(this.pos, end);
    this.pos = end + 2;
  }

  private skipComment(): void {
    const start = this.pos;
    const end = this.src.indexOf('--', start + 4);
    if (end < 0) this.fail(start, "unterminated comment: missing '-->'");
    if (this.src.charCodeAt(end + 2) !== GT) this.fail(end, "'--' is not allowed inside a comment");
    this.checkChars(start, end);
    this.pos = end + 3;
  }

  private checkChars(from: number, to: number): void {
    const src = this.src;
    for (let i = from; i < to; i++) {
      if (!isXmlChar(src.charCodeAt(i))) this.fail(i, `${this.describe(i)} is not allowed in XML`);
    }
  }

  private parseName(what: string): string {
    const src = this.src;
    const start = this.pos;
    NAME.lastIndex = start;
    const match = NAME.exec(src);
    if (match === null) this.fail(start, `expected ${what}, found ${this.describe(start)}`);
    const name = match[0];
    this.pos = start + name.length;
    return name;
  }

  private skipSpace(): boolean {
    const start = this.pos;
    const src = this.src;
    let i = start;
    for (let c = src.charCodeAt(i); c === 32 || c === 10 || c === 9 || c === 13; c = src.charCodeAt(++i));
    this.pos = i;
    return i > start;
  }

  private parseElement(depth: number): XmlElement {
    const src = this.src;
    const start = this.pos;
    if (depth > this.limits.maxDepth) {
      this.fail(start, `elements are nested deeper than the limit of ${this.limits.maxDepth}`);
    }
    if (++this.elements > this.limits.maxElements) {
      this.fail(start, `the document has more than the limit of ${this.limits.maxElements} elements`);
    }
    this.pos++; // '<'
    const name = this.parseName('an element name');
    const { line, col } = this.position(start);
    const element: XmlElement = { kind: 'element', name, attributes: [], children: [], line, col };
    for (;;) {
      const spaced = this.skipSpace();
      const c = src.charCodeAt(this.pos);
      if (c === GT) {
        this.pos++;
        break;
      }
      if (c === SLASH) {
        if (src.charCodeAt(this.pos + 1) !== GT)
          this.fail(this.pos + 1, `expected '>' after '/', found ${this.describe(this.pos + 1)}`);
        this.pos += 2;
        return element;
      }
      if (this.pos >= src.length) this.fail(start, `unterminated start tag <${name}>`);
      if (!spaced)
        this.fail(this.pos, `expected white space, '>' or '/>' in <${name}>, found ${this.describe(this.pos)}`);
      this.parseAttribute(element);
    }
    this.parseContent(element, depth);
    return element;
  }

  private parseAttribute(element: XmlElement): void {
    const src = this.src;
    const start = this.pos;
    const name = this.parseName(`an attribute name in <${element.name}>`);
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      if (attributes[i]!.name === name) this.fail(start, `duplicate attribute '${name}' in <${element.name}>`);
    }
    this.skipSpace();
    if (src.charCodeAt(this.pos) !== EQ) {
      this.fail(
        this.pos,
        `expected '=' after attribute '${name}', found ${this.describe(this.pos)}`,
        `write ${name}="value"`,
      );
    }
    this.pos++;
    this.skipSpace();
    const quote = src.charCodeAt(this.pos);
    if (quote !== QUOT && quote !== APOS) {
      let end = this.pos;
      while (
        end < src.length &&
        !isSpace(src.charCodeAt(end)) &&
        src.charCodeAt(end) !== GT &&
        !src.startsWith('/>', end)
      )
        end++;
      const bare = src.slice(this.pos, end);
      this.fail(
        this.pos,
        `value of attribute '${name}' must be quoted`,
        bare.length > 0 ? `write ${name}="${bare}"` : `write ${name}="value"`,
      );
    }
    const valueStart = this.pos + 1;
    const end = src.indexOf(quote === QUOT ? '"' : "'", valueStart);
    if (end < 0) this.fail(this.pos, `unterminated value of attribute '${name}'`);
    if (end - valueStart > this.limits.maxTextChars) {
      this.fail(
        valueStart,
        `value of attribute '${name}' is longer than the limit of ${this.limits.maxTextChars} characters`,
      );
    }
    const lt = src.indexOf('<', valueStart);
    if (lt >= 0 && lt < end) this.fail(lt, `'<' is not allowed in the value of attribute '${name}'`, 'write &lt;');
    const value = this.decode(valueStart, end, true);
    const { line, col } = this.position(start);
    element.attributes.push({ name, value, line, col });
    this.pos = end + 1;
  }

  private parseContent(element: XmlElement, depth: number): void {
    const src = this.src;
    for (;;) {
      const textStart = this.pos;
      let lt = src.indexOf('<', textStart);
      if (lt < 0) lt = src.length;
      if (lt > textStart) this.addText(element, textStart, lt);
      this.pos = lt;
      if (lt >= src.length) {
        const { line, col } = element;
        this.fail(lt, `unclosed element <${element.name}> opened at ${line}:${col}`, `add </${element.name}>`);
      }
      const next = src.charCodeAt(lt + 1);
      if (next === SLASH) {
        const closeStart = lt;
        this.pos = lt + 2;
        const name = this.parseName('an element name after "</"');
        this.skipSpace();
        if (src.charCodeAt(this.pos) !== GT)
          this.fail(this.pos, `expected '>' to end </${name}>, found ${this.describe(this.pos)}`);
        if (name !== element.name) {
          this.fail(
            closeStart,
            `closing tag </${name}> does not match <${element.name}> opened at ${element.line}:${element.col}`,
          );
        }
        this.pos++;
        return;
      }
      if (next === BANG) {
        if (src.startsWith('<!--', lt)) this.skipComment();
        else if (src.startsWith('<![CDATA[', lt)) this.parseCData(element);
        else this.fail(lt, `unexpected markup ${JSON.stringify(src.slice(lt, lt + 9))}`);
      } else if (next === QUESTION) {
        this.skipProcessingInstruction();
      } else {
        element.children.push(this.parseElement(depth + 1));
      }
    }
  }

  private parseCData(element: XmlElement): void {
    const start = this.pos + 9;
    const end = this.src.indexOf(']]>', start);
    if (end < 0) this.fail(this.pos, "unterminated CDATA section: missing ']]>'");
    this.checkChars(start, end);
    if (end - start > this.limits.maxTextChars) {
      this.fail(start, `text is longer than the limit of ${this.limits.maxTextChars} characters`);
    }
    const { line, col } = this.position(start);
    element.children.push({ kind: 'text', text: this.src.slice(start, end), significant: true, line, col });
    this.pos = end + 3;
  }

  private addText(element: XmlElement, start: number, end: number): void {
    const src = this.src;
    const raw = src.slice(start, end);
    if (!NOT_SPACE.test(raw)) {
      // White space between elements, the commonest text: nothing to check or decode.
      const { line, col } = this.position(start);
      element.children.push({ kind: 'text', text: raw, significant: false, line, col });
      return;
    }
    const gt = src.indexOf(']]>', start);
    if (gt >= 0 && gt < end) this.fail(gt, "']]>' is not allowed in text");
    if (end - start > this.limits.maxTextChars) {
      let i = start;
      while (i < end && isSpace(src.charCodeAt(i))) i++;
      if (i < end) this.fail(i, `text is longer than the limit of ${this.limits.maxTextChars} characters`);
    }
    const text = this.decode(start, end, false);
    // Text is where it starts to show: its first character that is not white space, not the end
    // of the line before it.
    const { line, col } = this.position(start + raw.search(NOT_SPACE));
    element.children.push({ kind: 'text', text, significant: NOT_SPACE.test(text), line, col });
  }

  /** Decodes entity and character references between start and end; checks characters. */
  private decode(start: number, end: number, attribute: boolean): string {
    const src = this.src;
    const raw = src.slice(start, end);
    // Most text has nothing to decode: one native scan instead of a loop over every character.
    if (!(attribute ? SPECIAL_IN_ATTRIBUTE : SPECIAL_IN_TEXT).test(raw)) return raw;
    let out = '';
    let run = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c === AMP) {
        out += src.slice(run, i);
        const semi = src.indexOf(';', i + 1);
        if (semi < 0 || semi > end || semi - i > 12) {
          this.fail(i, "'&' must start an entity reference such as &amp;", "write '&amp;' for a literal '&'");
        }
        out += this.entity(i, src.slice(i + 1, semi));
        i = semi;
        run = semi + 1;
      } else if (!isXmlChar(c)) {
        this.fail(i, `${this.describe(i)} is not allowed in XML`);
      } else if (attribute && (c === 10 || c === 9 || c === 13)) {
        out += `${src.slice(run, i)} `;
        run = i + 1;
      }
    }
    return out + src.slice(run, end);
  }

  private entity(offset: number, name: string): string {
    if (name.charCodeAt(0) === 35) {
      const hex = name.charCodeAt(1) === 120;
      const digits = name.slice(hex ? 2 : 1);
      const valid = digits.length > 0 && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits);
      const code = valid ? parseInt(digits, hex ? 16 : 10) : -1;
      if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (code < 0x10000 && !isXmlChar(code))) {
        this.fail(offset, `invalid character reference '&${name};'`);
      }
      return String.fromCodePoint(code);
    }
    // An own property only: `&constructor;` names no entity.
    const value = Object.hasOwn(PREDEFINED, name) ? PREDEFINED[name] : undefined;
    if (value === undefined) {
      this.fail(offset, `unknown entity '&${name};'`, 'only &lt; &gt; &amp; &quot; &apos; and &#N; are defined');
    }
    return value;
  }
}

/** Parses a document; never throws: a malformed one gives a positioned error. */
export function parseXml(text: string, limits: MenuLimits = DEFAULT_LIMITS): XmlResult {
  const parser = new Parser(text, limits);
  try {
    return { ok: true, root: parser.parseDocument() };
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    const { line, col } = parser.position(e.offset);
    const error: Diagnostic = { severity: 'error', line, col, message: e.message };
    if (e.hint !== undefined) error.hint = e.hint;
    return { ok: false, error };
  }
}
