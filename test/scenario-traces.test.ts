/** The trace files' format (test/scenarios/traces.ts): names, writing and reading back, bad lines. */
import t from 'tap';
import type { TraceEvent } from '../src/engine/trace.js';
import { parseTrace, traceFile, traceText } from './scenarios/traces.js';

t.test('a scenario name makes a file name of lower-case letters, digits and single dashes', (t) => {
  t.equal(
    traceFile('door-pin: right code and # opens the door (relay for 3 s)'),
    'test/scenarios/traces/door-pin-right-code-and-opens-the-door-relay-for-3-s.jsonl',
  );
  t.equal(
    traceFile("an unanswered ring stops at the profile's bound"),
    'test/scenarios/traces/an-unanswered-ring-stops-at-the-profile-s-bound.jsonl',
  );
  t.end();
});

t.test('a trace reads back as it was written, one event a line in its key order', (t) => {
  const trace: TraceEvent[] = [
    { t: 0, type: 'offhook' },
    { t: 500, type: 'input', pass: 1, timeout: 2000, repeat: true },
    { t: 1250.5, type: 'play', text: 'Say "hi", then 1.', clip: 'say-hi', ms: 800 },
    { t: 2000, type: 'end' },
  ];
  const text = traceText(trace);
  t.equal(text.split('\n').length, trace.length + 1, 'one line an event, each ended by a newline');
  t.equal(text.split('\n')[1], '{"t":500,"type":"input","pass":1,"timeout":2000,"repeat":true}');
  t.same(parseTrace(text, 'x.jsonl'), trace);
  t.same(parseTrace(`${text}\n\n`, 'x.jsonl'), trace, 'blank lines are skipped');
  t.end();
});

t.test('a line that is not a trace event is an error naming file, line and column', (t) => {
  const good = '{"t":0,"type":"offhook"}\n';
  t.throws(() => parseTrace(`${good}{"t":0,"type":"end"\n`, 'a.jsonl'), /^a\.jsonl:2:20: not JSON/);
  t.throws(() => parseTrace(`${good}{"type":"end"}\n`, 'b.jsonl'), /^b\.jsonl:2:1: not a trace event/);
  t.throws(() => parseTrace(`${good}${good}[0]\n`, 'c.jsonl'), /^c\.jsonl:3:1: not a trace event/);
  t.throws(() => parseTrace('null\n', 'd.jsonl'), /^d\.jsonl:1:1: not a trace event/);
  t.end();
});
