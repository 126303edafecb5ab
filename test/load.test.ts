import t from 'tap';
import { formatDiagnostic } from '../src/ozml/diagnostic.js';
import { loadMenu } from '../src/ozml/load.js';
import { DEFAULT_LIMITS } from '../src/ozml/limits.js';

function problems(body: string, limits = DEFAULT_LIMITS): string[] {
  return loadMenu(`<Response>\n${body}\n</Response>`, limits).diagnostics.map((d) => formatDiagnostic('m.xml', d));
}

t.test('unknown and unsupported commands', async (t) => {
  t.same(problems('<Wait>1</Wait>'), [
    'm.xml:2:1: error: unknown command <Wait> (hint: commands are Delay, Speak, Play, UserInput, Hangup, Output, Record)',
  ]);
  t.same(problems('<speak>Hi</speak>'), [
    'm.xml:2:1: error: unknown command <speak> (hint: did you mean <Speak>? element names are case-sensitive)',
  ]);
  t.same(problems('<Forward>100</Forward>'), [
    'm.xml:2:1: error: <Forward> cannot run on this device: there is no other line to forward the call to',
  ]);
  t.same(problems('<SendSms/>'), [
    'm.xml:2:1: error: <SendSms> cannot run on this device: the device has no SMS gateway',
  ]);
});

t.test('Delay takes seconds, fractional allowed, bounded', async (t) => {
  t.match(loadMenu('<Response><Delay> 1.25 </Delay></Response>').menu, { commands: [{ kind: 'delay', ms: 1250 }] });
  t.same(problems('<Delay>soon</Delay>'), [
    'm.xml:2:1: error: Delay must be a number of seconds, got "soon" (hint: for example 1.5)',
  ]);
  t.same(problems('<Delay>-1</Delay>'), [
    'm.xml:2:1: error: Delay must be a number of seconds, got "-1" (hint: for example 1.5)',
  ]);
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
  t.match(loadMenu('<Response><Speak>\n  Hello\n   there  </Speak></Response>').menu, {
    commands: [{ kind: 'speak', text: 'Hello there' }],
  });
  t.same(problems('Loose text'), [
    'm.xml:2:1: error: text is not allowed directly inside <Response> (hint: put spoken text inside <Speak>)',
  ]);
});

t.test('stray text is reported at its first visible character, not at the end of the line before', async (t) => {
  t.same(problems('  <Speak>Hi</Speak>\n  oops'), [
    'm.xml:3:3: error: text is not allowed directly inside <Response> (hint: put spoken text inside <Speak>)',
  ]);
  t.same(problems('  <Speak>Hi</Speak>\r\n\r\n\t &amp; more'), [
    'm.xml:4:3: error: text is not allowed directly inside <Response> (hint: put spoken text inside <Speak>)',
  ]);
  t.same(problems('  <Speak>Hi</Speak> oops'), [
    'm.xml:2:21: error: text is not allowed directly inside <Response> (hint: put spoken text inside <Speak>)',
  ]);
  t.same(problems('  <UserInput><Inputs>\n    <Input key="1"/>\n\n      loose\n  </Inputs></UserInput>'), [
    'm.xml:5:7: error: text is not allowed directly inside <Inputs> (hint: put spoken text inside <Speak>)',
  ]);
});

t.test('UserInput attributes and inputs', async (t) => {
  const ok = loadMenu(
    '<Response><UserInput Timeout="2.5" REPEAT="True"><Inputs><Input key="#"/></Inputs></UserInput></Response>',
  );
  t.match(ok.menu, { commands: [{ kind: 'userinput', timeoutMs: 2500, repeat: true, inputs: [{ key: '#' }] }] });
  const dflt = loadMenu('<Response><UserInput><Inputs><Input key="1"/></Inputs></UserInput></Response>');
  t.match(
    dflt.menu,
    { commands: [{ kind: 'userinput', timeoutMs: 5000, repeat: false }] },
    'default timeout 5 s, no repeat',
  );
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
  t.same(
    loadMenu('<Menu/>').diagnostics.map((d) => d.message),
    ['the root element must be <Response>, not <Menu>'],
  );
  const many = '<Hangup/>'.repeat(4);
  t.same(problems(many, { ...DEFAULT_LIMITS, maxCommands: 3 }), [
    'm.xml:2:28: error: the menu has more than the limit of 3 commands',
  ]);
});

t.test('every Ozeki example loads (the third-party detailed one is malformed XML)', async (t) => {
  const { readFileSync, readdirSync } = await import('node:fs');
  for (const name of readdirSync('examples/ozeki').filter((n) => n.endsWith('.xml'))) {
    const r = loadMenu(readFileSync(`examples/ozeki/${name}`, 'utf8'));
    t.equal(r.menu !== undefined, name !== 'third-party-detailed.xml', name);
  }
});

function problemsWith(outputs: readonly string[], body: string): string[] {
  return loadMenu(`<Response>\n${body}\n</Response>`, DEFAULT_LIMITS, outputs).diagnostics.map((d) =>
    formatDiagnostic('m.xml', d),
  );
}

t.test('Play: a clip by AudioFile or body, Repeat expands', async (t) => {
  const m = loadMenu(
    '<Response><Play AudioFile="c:\\audio\\welcome.wav" Repeat="3"/><Play>beep</Play></Response>',
  ).menu;
  t.same(
    m?.commands.map((c) => (c.kind === 'speak' ? c.clip : c.kind)),
    ['welcome', 'welcome', 'welcome', 'beep'],
  );
  const recorded = loadMenu(
    '<Response><Play>greeting.flac</Play><Play>tune.OGA</Play><Play>a.b</Play></Response>',
  ).menu;
  t.same(
    recorded?.commands.map((c) => (c.kind === 'speak' ? c.clip : c.kind)),
    ['greeting', 'tune', 'a.b'],
    'every extension clips reads a recording from',
  );
  t.same(problems('<Play/>'), [
    'm.xml:2:1: error: <Play> names no audio file (hint: write <Play>welcome.wav</Play> or AudioFile="welcome.wav")',
  ]);
  t.same(problems('<Play Repeat="0">a.wav</Play>'), [
    'm.xml:2:7: error: Repeat must be a whole number from 1 to 20, got "0"',
  ]);
  t.same(problems('<Play>http://x/my file.wav</Play>'), [
    'm.xml:2:1: error: audio file "http://x/my file.wav" does not name a clip (hint: letters, digits, _ . - then .wav)',
  ]);
});

t.test('Output: names come from the board; pulse and value', async (t) => {
  t.same(problemsWith(['door', 'led'], '<Output name="door" pulse="3"/><Output name="led" value="off"/>'), []);
  t.same(problemsWith(['door', 'led'], '<Output name="gate" pulse="1"/>'), [
    "m.xml:2:9: error: unknown output 'gate' (hint: this board has door, led)",
  ]);
  t.same(problemsWith([], '<Output name="door"/>'), [
    "m.xml:2:9: error: unknown output 'door' (hint: this board has no outputs)",
  ]);
  t.same(problemsWith(['door'], '<Output/>'), [
    'm.xml:2:1: error: <Output> has no name (hint: write <Output name="door" pulse="3"/>)',
  ]);
  t.same(problemsWith(['door'], '<Output name="door" value="half"/>'), [
    'm.xml:2:21: error: value must be on or off, got "half"',
  ]);
  t.same(problemsWith(['door'], '<Output name="door" value="off" pulse="2"/>'), [
    'm.xml:2:33: error: a pulse turns an output on for a time; it cannot be combined with value="off"',
  ]);
  t.same(problemsWith(['door'], '<Output name="door" pulse="900"/>'), [
    'm.xml:2:21: error: pulse of 900 s is longer than the limit of 600 s',
  ]);
});

t.test('multi-digit entry: digits, terminator, inter-digit timeout, and Inputs that can never match', async (t) => {
  const m = loadMenu(
    '<Response><UserInput Digits="4" InterDigitTimeout="12"><Inputs><Input key="1234"/></Inputs></UserInput></Response>',
  ).menu;
  t.match(m?.commands[0], {
    kind: 'userinput',
    multiDigit: true,
    minDigits: 4,
    maxDigits: 4,
    terminator: '#',
    interDigitMs: 12000,
  });
  const byKeys = loadMenu(
    '<Response><UserInput FinishOnKey=""><Inputs><Input key="42"/><Input key="7"/></Inputs></UserInput></Response>',
  ).menu;
  t.match(
    byKeys?.commands[0],
    { multiDigit: true, minDigits: 1, maxDigits: 2, terminator: '' },
    'max digits from the longest key',
  );
  t.match(loadMenu('<Response><UserInput><Inputs><Input key="7"/></Inputs></UserInput></Response>').menu?.commands[0], {
    multiDigit: false,
  });
  t.same(problems('<UserInput Digits="4"><Inputs><Input key="12"/><Input key="#"/></Inputs></UserInput>'), [
    "m.xml:2:31: error: key '12' has 2 digits; this <UserInput> takes 4 to 4",
    'm.xml:2:48: error: key \'#\' ends every entry (FinishOnKey), so this <Input> can never match (hint: set FinishOnKey="" or another key)',
  ]);
  t.same(problems('<UserInput MinDigits="5" MaxDigits="3"><Inputs><Input key="123"/></Inputs></UserInput>'), [
    'm.xml:2:1: error: MinDigits 5 is more than MaxDigits 3',
  ]);
  t.same(problems('<UserInput InterDigitTimeout="90"><Inputs><Input key="1"/></Inputs></UserInput>'), [
    'm.xml:2:12: error: InterDigitTimeout of 90 s is longer than the limit of 60 s',
  ]);
  t.same(problems('<UserInput Digits="40"><Inputs><Input key="1"/></Inputs></UserInput>'), [
    'm.xml:2:12: error: Digits must be a whole number from 1 to 32, got "40"',
  ]);
});

t.test('retry policy, BackKey, BargeIn, TypeAhead', async (t) => {
  const m = loadMenu(
    '<Response TypeAhead="true"><UserInput repeat="true"><NoMatch><Speak>No.</Speak></NoMatch><Failed><Hangup/></Failed><Inputs><Input key="1"/></Inputs></UserInput></Response>',
  ).menu;
  t.equal(m?.typeAhead, true);
  t.match(m?.commands[0], { maxNoInput: 5, maxNoMatch: 3, noMatch: [{ kind: 'speak' }], failed: [{ kind: 'hangup' }] });
  t.match(
    loadMenu(
      '<Response><UserInput MaxNoInput="2" MaxNoMatch="4"><Inputs><Input key="1"/></Inputs></UserInput></Response>',
    ).menu?.commands[0],
    {
      maxNoInput: 2,
      maxNoMatch: 4,
    },
  );
  t.same(problems('<UserInput BackKey="*"><Inputs><Input key="1"/></Inputs></UserInput>'), [
    'm.xml:2:12: warning: BackKey does nothing on a UserInput that is not inside an <Input>',
  ]);
  t.same(
    problems(
      '<UserInput><Inputs><Input key="1"><UserInput BackKey="*"><Inputs><Input key="*"/></Inputs></UserInput></Input></Inputs></UserInput>',
    ),
    ["m.xml:2:66: error: key '*' is the BackKey of this <UserInput>"],
  );
  t.same(problems('<UserInput><Failed/><Failed/><Inputs><Input key="1"/></Inputs></UserInput>'), [
    'm.xml:2:21: error: a <UserInput> has at most one <Failed>',
  ]);
  t.same(problems('<Speak BargeIn="maybe">Hi</Speak>'), [
    'm.xml:2:8: error: BargeIn must be true or false, got "maybe"',
  ]);
  t.same(
    loadMenu('<Response TypeAhead="no"/>').diagnostics.map((d) => d.message),
    ['TypeAhead must be true or false, got "no"'],
  );
});

t.test('the door-PIN example checks against the simulated board', async (t) => {
  const { readFileSync } = await import('node:fs');
  t.same(loadMenu(readFileSync('examples/door-pin.xml', 'utf8'), DEFAULT_LIMITS, ['door', 'led']).diagnostics, []);
  t.match(loadMenu(readFileSync('examples/door-pin.xml', 'utf8'), DEFAULT_LIMITS, ['led']).diagnostics, [
    { message: "unknown output 'door'" },
  ]);
});

t.test('attributes that differ only in case are an error at the second, not silently the first', async (t) => {
  t.same(problems('<UserInput timeout="1" Timeout="60"><Inputs><Input key="1" KEY="2"/></Inputs></UserInput>'), [
    "m.xml:2:24: error: attribute 'Timeout' repeats 'timeout' (hint: attribute names are matched case-insensitively: keep one)",
    "m.xml:2:60: error: attribute 'KEY' repeats 'key' (hint: attribute names are matched case-insensitively: keep one)",
  ]);
  t.same(problems('<Speak clip="a" Clip="b" CLIP="c">Hi</Speak>'), [
    "m.xml:2:17: error: attribute 'Clip' repeats 'clip' (hint: attribute names are matched case-insensitively: keep one)",
    "m.xml:2:26: error: attribute 'CLIP' repeats 'clip' (hint: attribute names are matched case-insensitively: keep one)",
  ]);
  t.same(
    loadMenu('<Response typeahead="true" TypeAhead="false"/>').diagnostics.map(
      (d) => `${d.line}:${d.col} ${d.message}`,
    ),
    ["1:28 attribute 'TypeAhead' repeats 'typeahead'"],
  );
});

t.test('limits cannot be bypassed: split text, Play Repeat, clip names', async (t) => {
  const half = 'a'.repeat(1500);
  for (const split of ['<!---->', '<![CDATA[]]>', '<![CDATA[b]]>', '<?pi?>']) {
    t.same(
      problems(`<Speak>${half}${split}${half}</Speak>`),
      ['m.xml:2:1: error: text of <Speak> is longer than the limit of 2000 characters'],
      split,
    );
  }
  t.same(problems(`<Delay>${' '.repeat(1500)}<!---->${' '.repeat(1500)}1</Delay>`), [], 'white space does not count');
  const plays = '<Play Repeat="20">a.wav</Play>\n'.repeat(26);
  t.same(
    problems(plays),
    ['m.xml:27:1: error: the menu has more than the limit of 500 commands'],
    '26 × 20 plays are 520 commands',
  );
  t.same(problems('<Play Repeat="20">a.wav</Play>\n'.repeat(25)), [], '500 plays are allowed');
  const long = 'c'.repeat(65);
  t.same(
    problems(`<Speak clip="${long}">Hi</Speak>\n<Play>${long}.wav</Play>\n<Speak clip="${'c'.repeat(64)}">Hi</Speak>`),
    [
      'm.xml:2:8: error: clip name is longer than the limit of 64 characters',
      'm.xml:3:1: error: clip name is longer than the limit of 64 characters',
    ],
  );
});

t.test('element names that are JavaScript object properties are unknown commands', async (t) => {
  for (const name of ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) {
    t.same(
      problems(`<${name}/>`),
      [
        `m.xml:2:1: error: unknown command <${name}> (hint: commands are Delay, Speak, Play, UserInput, Hangup, Output, Record)`,
      ],
      name,
    );
  }
});

t.test('Response TimeLimit: the longest call, 600 s unless the menu says, at most 86400 s', async (t) => {
  t.equal(loadMenu('<Response/>').menu?.timeLimitMs, 600_000);
  t.equal(loadMenu('<Response TimeLimit="90.5"/>').menu?.timeLimitMs, 90_500);
  t.equal(loadMenu('<Response timelimit="86400"/>').menu?.timeLimitMs, 86_400_000);
  t.same(
    loadMenu('<Response TimeLimit="86401"/>').diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`),
    ['1:11 TimeLimit of 86401 s is longer than the limit of 86400 s'],
  );
  t.same(
    loadMenu('<Response TimeLimit="0"/>').diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`),
    ['1:11 TimeLimit must be more than 0 s'],
  );
  t.same(
    loadMenu('<Response TimeLimit="forever"/>').diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`),
    ['1:11 TimeLimit must be a number of seconds, got "forever"'],
  );
});

t.test('Record: Ozeki attributes case-insensitive, ours, defaults', async (t) => {
  t.match(loadMenu('<Response><Record/></Response>').menu, {
    commands: [
      {
        kind: 'record',
        maxMs: 60_000,
        inactivityMs: 5000,
        finishDigits: '#',
        file: 'rec-{n}',
        clip: false,
        beep: false,
      },
    ],
  });
  const menu = loadMenu(
    '<Response><Record duration="180" INACTIVITY="2.5" finishdigits="*#" format="WAV" file="msg-{n}" Beep="true"/></Response>',
  ).menu;
  t.match(menu, {
    commands: [
      {
        kind: 'record',
        maxMs: 180_000,
        inactivityMs: 2500,
        finishDigits: '*#',
        file: 'msg-{n}',
        clip: false,
        beep: true,
      },
    ],
  });
  t.match(loadMenu('<Response><Record clip="greeting" FinishDigits="" Inactivity="0"/></Response>').menu, {
    commands: [{ kind: 'record', file: 'greeting', clip: true, finishDigits: '', inactivityMs: 0 }],
  });
  t.same(problems('<Record FinishedUrl="http://x/done"/>'), [
    'm.xml:2:9: warning: FinishedUrl is never called: this offline device has no server (hint: the recording stays on the device; remove FinishedUrl)',
  ]);
});

t.test('Record: positioned errors for bad values', async (t) => {
  t.same(problems('<Record Duration="long"/>'), [
    'm.xml:2:9: error: Duration must be a number of seconds, got "long" (hint: for example 1.5)',
  ]);
  t.same(problems('<Record Duration="0"/>'), ['m.xml:2:9: error: Duration must be more than 0 s']);
  t.same(problems('<Record Duration="7200"/>'), [
    'm.xml:2:9: error: Duration of 7200 s is longer than the limit of 3600 s',
  ]);
  t.same(problems('<Record Inactivity="-1"/>'), [
    'm.xml:2:9: error: Inactivity must be a number of seconds, got "-1" (hint: for example 1.5)',
  ]);
  t.same(problems('<Record FinishDigits="1x"/>'), [
    'm.xml:2:9: error: FinishDigits "1x" must be phone keys (hint: any of 0-9 * # A B C D, or "" for none)',
  ]);
  t.same(problems('<Record Format="mp3"/>'), [
    'm.xml:2:9: error: Format "mp3" is not one this device records (hint: write Format="wav" (8 kHz 16-bit mono))',
  ]);
  t.same(problems('<Record file="../x-{n}"/>'), [
    'm.xml:2:9: error: file "../x-{n}" must be a name without a folder or extension, with at most one {n} (hint: for example file="msg-{n}")',
  ]);
  t.same(problems('<Record file="a-{n}-{n}"/>'), [
    'm.xml:2:9: error: file "a-{n}-{n}" must be a name without a folder or extension, with at most one {n} (hint: for example file="msg-{n}")',
  ]);
  t.same(problems('<Record clip="a/b"/>'), [
    'm.xml:2:9: error: clip name "a/b" must be a file name without a folder (hint: letters, digits, _ . -)',
  ]);
  t.same(problems('<Record file="m" clip="g"/>'), [
    'm.xml:2:18: error: <Record> takes file or clip, not both (hint: file="msg-{n}" keeps every message; clip="greeting" replaces a clip)',
  ]);
  t.same(problems('<Record file="x.wav"/>'), [
    'm.xml:2:9: error: file "x.wav" has an extension: a recording is saved as NAME.wav, so this one would be "x.wav.wav" (hint: write file="x")',
  ]);
  t.same(problems('<Record beep="true"   file="msg-{n}.WAV"/>'), [
    'm.xml:2:23: error: file "msg-{n}.WAV" has an extension: a recording is saved as NAME.wav, so this one would be "msg-{n}.WAV.wav" (hint: write file="msg-{n}")',
  ]);
  t.same(problems('<Record clip="greeting.mp3"/>'), [
    'm.xml:2:9: error: clip "greeting.mp3" has an extension: a recording is saved as NAME.wav, so this one would be "greeting.mp3.wav" (hint: write clip="greeting")',
  ]);
  t.same(problems('<Record clip="greeting.flac"/>'), [
    'm.xml:2:9: error: clip "greeting.flac" has an extension: a recording is saved as NAME.wav, so this one would be "greeting.flac.wav" (hint: write clip="greeting")',
  ]);
  t.same(problems('<Record file="notes.v2-{n}"/>'), [], 'a dot inside a name is no extension');
  t.same(problems('<Record beep="yes"/>'), ['m.xml:2:9: error: beep must be true or false, got "yes"']);
  t.same(problems('<Record>hello</Record>'), ['m.xml:2:1: error: <Record> takes no text']);
});
