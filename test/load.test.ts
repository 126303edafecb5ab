import t from 'tap';
import { formatDiagnostic } from '../src/ozml/diagnostic.js';
import { loadMenu } from '../src/ozml/load.js';
import { DEFAULT_LIMITS } from '../src/ozml/limits.js';

function problems(body: string, limits = DEFAULT_LIMITS): string[] {
  return loadMenu(`<Response>\n${body}\n</Response>`, limits).diagnostics.map((d) => formatDiagnostic('m.xml', d));
}

t.test('unknown and unsupported commands', async (t) => {
  t.same(problems('<Wait>1</Wait>'), ['m.xml:2:1: error: unknown command <Wait> (hint: commands are Delay, Speak, Play, UserInput, Hangup, Output)']);
  t.same(problems('<speak>Hi</speak>'), [
    'm.xml:2:1: error: unknown command <speak> (hint: did you mean <Speak>? element names are case-sensitive)',
  ]);
  t.same(problems('<Forward>100</Forward>'), [
    'm.xml:2:1: error: <Forward> cannot run on this device: there is no other line to forward the call to',
  ]);
  t.same(problems('<SendSms/>'), ['m.xml:2:1: error: <SendSms> cannot run on this device: the device has no SMS gateway']);
});

t.test('Delay takes seconds, fractional allowed, bounded', async (t) => {
  t.match(loadMenu('<Response><Delay> 1.25 </Delay></Response>').menu, { commands: [{ kind: 'delay', ms: 1250 }] });
  t.same(problems('<Delay>soon</Delay>'), ['m.xml:2:1: error: Delay must be a number of seconds, got "soon" (hint: for example 1.5)']);
  t.same(problems('<Delay>-1</Delay>'), ['m.xml:2:1: error: Delay must be a number of seconds, got "-1" (hint: for example 1.5)']);
  t.same(problems('<Delay>7200</Delay>'), ['m.xml:2:1: error: Delay of 7200 s is longer than the limit of 3600 s']);
});

t.test('Speak: text, clip attribute, Party accepted, CallId warned', async (t) => {
  t.same(problems('<Speak></Speak>'), [
    'm.xml:2:1: error: <Speak> has no text (hint: write the words to say between <Speak> and </Speak>)',
  ]);
  t.same(problems('<Speak clip="../x">Hi</Speak>'), [
    'm.xml:2:8: error: clip name "../x" must be a file name without a folder (hint: letters, digits, _ . -)',
  ]);
  t.same(problems('<Speak Party="all">Hi</Speak>'), []);
  t.same(problems('<Speak CallId="c1">Hi</Speak>'), [
    "m.xml:2:8: warning: CallId 'c1' names another call: this one-line device has only its own call, so this <Speak> does nothing (hint: remove CallId to act on this call)",
  ]);
  t.same(problems('<Speak Voice="x">Hi</Speak>'), [
    "m.xml:2:8: warning: unknown attribute 'Voice' on <Speak> is ignored (hint: <Speak> takes Party, CallId, clip, Text, BargeIn)",
  ]);
  t.match(loadMenu('<Response><Speak>\n  Hello\n   there  </Speak></Response>').menu, { commands: [{ kind: 'speak', text: 'Hello there' }] });
  t.same(problems('Loose text'), [
    'm.xml:1:11: error: text is not allowed directly inside <Response> (hint: put spoken text inside <Speak>)',
  ]);
});

t.test('UserInput attributes and inputs', async (t) => {
  const ok = loadMenu('<Response><UserInput Timeout="2.5" REPEAT="True"><Inputs><Input key="#"/></Inputs></UserInput></Response>');
  t.match(ok.menu, { commands: [{ kind: 'userinput', timeoutMs: 2500, repeat: true, inputs: [{ key: '#' }] }] });
  const dflt = loadMenu('<Response><UserInput><Inputs><Input key="1"/></Inputs></UserInput></Response>');
  t.match(dflt.menu, { commands: [{ kind: 'userinput', timeoutMs: 5000, repeat: false }] }, 'default timeout 5 s, no repeat');
  t.same(problems('<UserInput repeat="yes"><Inputs><Input key="1"/></Inputs></UserInput>'), [
    'm.xml:2:12: error: repeat must be true or false, got "yes"',
  ]);
  t.same(problems('<UserInput><Inputs><Input key="1F"/><Input key="x"/></Inputs></UserInput>'), [
    'm.xml:2:27: error: key "1F" is not a phone key (hint: one of 0 1 2 3 4 5 6 7 8 9 * # A B C D F, or a string of digits for multi-digit entry)',
    'm.xml:2:44: error: key "x" is not a phone key (hint: one of 0 1 2 3 4 5 6 7 8 9 * # A B C D F, or a string of digits for multi-digit entry)',
    'm.xml:2:1: warning: <UserInput> has no <Input>: no key can match',
  ]);
  t.same(problems('<UserInput><Inputs><Input key="1"/><Input key="1"/></Inputs></UserInput>'), [
    "m.xml:2:43: error: key '1' is already used by another <Input> of this <UserInput>",
  ]);
  t.same(problems('<UserInput><Prompt/><Inputs><Input key="1"/></Inputs></UserInput>'), [
    'm.xml:2:12: error: <Prompt> is not allowed inside <UserInput> (hint: it takes <InitialCommands>, <Inputs>, <NoInput>, <NoMatch> and <Failed>)',
  ]);
});

t.test('root, command limit', async (t) => {
  t.same(loadMenu('<Menu/>').diagnostics.map((d) => d.message), ['the root element must be <Response>, not <Menu>']);
  const many = '<Hangup/>'.repeat(4);
  t.same(problems(many, { ...DEFAULT_LIMITS, maxCommands: 3 }), ['m.xml:2:28: error: the menu has more than the limit of 3 commands']);
});

t.test('every Ozeki example loads (the third-party detailed one is malformed XML)', async (t) => {
  const { readFileSync, readdirSync } = await import('node:fs');
  for (const name of readdirSync('examples/ozeki').filter((n) => n.endsWith('.xml'))) {
    const r = loadMenu(readFileSync(`examples/ozeki/${name}`, 'utf8'));
    t.equal(r.menu !== undefined, name !== 'third-party-detailed.xml', name);
  }
});
