import t from 'tap';
import { parseXml } from '../src/ozml/xml.js';
import { DEFAULT_LIMITS } from '../src/ozml/limits.js';

function error(text: string, limits = DEFAULT_LIMITS): string {
  const r = parseXml(text, limits);
  if (r.ok) return 'ok';
  const hint = r.error.hint === undefined ? '' : ` | ${r.error.hint}`;
  return `${r.error.line}:${r.error.col} ${r.error.message}${hint}`;
}

t.test('unquoted attribute value (Ozeki third-party example) is positioned with a hint', async (t) => {
  const doc =
    '<?xml version="1.0"?>\n<Response>\n  <Speak Party="all">x</Speak>\n  <Speak Party="all" CallId=23Xdz7>This call will be hanged up.</Speak>\n</Response>\n';
  t.equal(error(doc), `4:29 value of attribute 'CallId' must be quoted | write CallId="23Xdz7"`);
});

t.test('well-formedness errors name line and column', async (t) => {
  t.equal(
    error('<Response>\n  <Delay>1</Dlay>\n</Response>'),
    '2:11 closing tag </Dlay> does not match <Delay> opened at 2:3',
  );
  t.equal(error('<Response>\n  <Delay>1'), '2:11 unclosed element <Delay> opened at 2:3 | add </Delay>');
  t.equal(
    error('<Response>&nbsp;</Response>'),
    "1:11 unknown entity '&nbsp;' | only &lt; &gt; &amp; &quot; &apos; and &#N; are defined",
  );
  t.equal(
    error('<Response>a & b</Response>'),
    "1:13 '&' must start an entity reference such as &amp; | write '&amp;' for a literal '&'",
  );
  t.equal(error('<Response a="1" a="2"/>'), "1:17 duplicate attribute 'a' in <Response>");
  t.equal(
    error('<Response/>\n<Response/>'),
    '2:1 content after the root element | a menu has exactly one <Response> root',
  );
  t.equal(error(''), '1:1 no root element: the document is empty');
  t.equal(error('hello'), "1:1 text before the root element: 'h'");
  t.equal(error('<Response>\u0001</Response>'), '1:11 control character U+0001 is not allowed in XML');
  t.equal(error('<Response><!-- a -- b --></Response>'), "1:18 '--' is not allowed inside a comment");
  t.equal(error('<Response x="<"/>'), "1:14 '<' is not allowed in the value of attribute 'x' | write &lt;");
  t.equal(error('<Response x"1"/>'), "1:12 expected '=' after attribute 'x', found '\"' | write x=\"value\"");
});

t.test('DOCTYPE is refused, so no entity can expand (billion laughs)', async (t) => {
  const lol =
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<Response>&lol2;</Response>';
  t.equal(error(lol), '2:1 DOCTYPE declarations are not supported in menus | remove the <!DOCTYPE ...> line');
});

t.test('limits: depth, element count, document and text size', async (t) => {
  const limits = { ...DEFAULT_LIMITS, maxDepth: 3, maxElements: 4, maxChars: 200, maxTextChars: 10 };
  t.equal(error('<a><b><c><d/></c></b></a>', limits), '1:10 elements are nested deeper than the limit of 3');
  t.equal(error('<a><b/><b/><b/><b/></a>', limits), '1:16 the document has more than the limit of 4 elements');
  t.equal(error(`<a>${' '.repeat(300)}</a>`, limits), '1:201 document is longer than the limit of 200 characters');
  t.equal(error('<a>0123456789A</a>', limits), '1:4 text is longer than the limit of 10 characters');
  t.equal(error('<a>\n  0123456789A</a>', limits), '2:3 text is longer than the limit of 10 characters');
  t.equal(
    error('<a x="0123456789A"/>', limits),
    "1:7 value of attribute 'x' is longer than the limit of 10 characters",
  );
  t.equal(error(`<a>\n${' '.repeat(50)}\n</a>`, limits), 'ok', 'white space does not count against the text limit');
});

t.test('entities, character references, CDATA and positions decode', async (t) => {
  const r = parseXml(
    '\uFEFF<?xml version="1.0"?>\r\n<R a="x&amp;y&#65;&#x42;"\n   b=\'1\'>&lt;hi&gt;<![CDATA[<raw>]]><c/></R>',
  );
  if (!r.ok) return void t.fail(r.error.message);
  t.equal(r.root.name, 'R');
  t.same([r.root.line, r.root.col], [2, 1]);
  t.same(
    r.root.attributes.map((a) => [a.name, a.value, a.line, a.col]),
    [
      ['a', 'x&yAB', 2, 4],
      ['b', '1', 3, 4],
    ],
  );
  const [text, cdata, child] = r.root.children;
  t.match(text, { kind: 'text', text: '<hi>', significant: true });
  t.match(cdata, { kind: 'text', text: '<raw>', significant: true });
  t.match(child, { kind: 'element', name: 'c', line: 3, col: 37 });
});

t.test('invalid character references are errors', async (t) => {
  t.equal(error('<R>&#0;</R>'), "1:4 invalid character reference '&#0;'");
  t.equal(error('<R>&#xD800;</R>'), "1:4 invalid character reference '&#xD800;'");
  t.equal(error('<R>&#x110000;</R>'), "1:4 invalid character reference '&#x110000;'");
  t.equal(error('<R>&#12a;</R>'), "1:4 invalid character reference '&#12a;'");
});

t.test('CR-only and mixed line endings give the right positions (XML normalizes CR and CRLF to LF)', async (t) => {
  t.equal(
    error('<Response>\r<Delay>1</Delay>\r<Bad x=1/>\r</Response>'),
    '3:8 value of attribute \'x\' must be quoted | write x="1"',
  );
  t.equal(error('<Response>\r\n\r<Delay>1\r\n</Dlay>'), '4:1 closing tag </Dlay> does not match <Delay> opened at 3:1');
  const r = parseXml('<R>\r\r<a/>\r\n<b/>\n\r<c/></R>');
  if (!r.ok) return void t.fail(r.error.message);
  t.same(
    r.root.children.filter((c) => c.kind === 'element').map((c) => [c.line, c.col]),
    [
      [3, 1],
      [4, 1],
      [6, 1],
    ],
  );
});

t.test('the XML declaration: only once, only at the very start, and well formed; one BOM at most', async (t) => {
  t.equal(error('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Response/>'), 'ok');
  t.equal(error("\uFEFF<?xml version='1.0'?>\n<Response/>"), 'ok');
  t.equal(error(' <?xml version="1.0"?><Response/>'), '1:2 XML declaration is only allowed at the very start');
  t.equal(error('\n<?xml version="1.0"?><Response/>'), '2:1 XML declaration is only allowed at the very start');
  t.equal(
    error('<?xml version="1.0"?><?xml version="1.0"?><Response/>'),
    '1:22 XML declaration is only allowed at the very start',
  );
  t.equal(
    error('<Response>\n<?xml version="1.0"?></Response>'),
    '2:1 XML declaration is only allowed at the very start',
  );
  t.equal(error('<Response><?xml x?></Response>'), '1:11 XML declaration is only allowed at the very start');
  t.equal(
    error('<Response><?XML version="1.0"?></Response>'),
    '1:11 XML declaration is only allowed at the very start',
  );
  t.equal(
    error('<?xml x?><Response/>'),
    '1:1 malformed XML declaration | write <?xml version="1.0" encoding="UTF-8"?>',
  );
  t.equal(error('<?xml?><Response/>'), '1:1 malformed XML declaration | write <?xml version="1.0" encoding="UTF-8"?>');
  t.equal(error('\uFEFF\uFEFF<Response/>'), '1:1 a second byte order mark (U+FEFF) | save the menu with at most one');
  t.equal(
    error('\uFEFF<Response x=1/>'),
    '1:13 value of attribute \'x\' must be quoted | write x="1"',
    'the BOM is not a column',
  );
  t.equal(error('<Response><?ok data?></Response>'), 'ok', 'other processing instructions are allowed');
  t.equal(error('<Response><? x?></Response>'), "1:13 expected a processing instruction target, found ' '");
});

t.test('entity names that are JavaScript object properties are unknown entities', async (t) => {
  for (const name of ['constructor', 'toString', 'valueOf', '__proto__']) {
    t.equal(
      error(`<R>&${name};</R>`),
      `1:4 unknown entity '&${name};' | only &lt; &gt; &amp; &quot; &apos; and &#N; are defined`,
    );
  }
});

t.test('invalid UTF-8 positions count CR-only line endings like the parser', async (t) => {
  const { utf8Position } = await import('../src/ozml/utf8.js');
  const bytes = new TextEncoder().encode('<R>\r<a/>\r\n\r<b>x');
  t.same(utf8Position(bytes, bytes.length - 1), { line: 4, col: 4 });
});

t.test('U+FFFE and U+FFFF are not name characters', async (t) => {
  t.equal(error('<Response>\n<\uFFFEDelay/></Response>'), "2:2 expected an element name, found '\uFFFE'");
  t.equal(
    error('<Response a\uFFFF="1"/>'),
    "1:12 expected '=' after attribute 'a', found '\uFFFF' | write a=\"value\"",
  );
});
