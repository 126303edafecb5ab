import t from 'tap';
import { describeKey, splitKeys } from '../tools/tui/keys.js';

t.test('terminal input: an escape sequence is one key, never the DTMF letters it ends with', async (t) => {
  t.same(splitKeys('1\x1b[A2\x1b[B\x1b[C\x1b[D'), ['1', '\x1b[A', '2', '\x1b[B', '\x1b[C', '\x1b[D']);
  t.same(splitKeys('\x1bOA\x1bOP#'), ['\x1bOA', '\x1bOP', '#'], 'SS3: arrows in application mode, F1');
  t.same(splitKeys('\x1b[1;5A\x1b[15~a'), ['\x1b[1;5A', '\x1b[15~', 'a'], 'CSI with parameters: Ctrl+up, F5');
  t.same(splitKeys('\x1bd'), ['\x1bd'], 'Alt+d is not the key D');
  t.same(splitKeys('\x1b'), ['\x1b'], 'a lone Escape');
  t.same(splitKeys(' 12é'), [' ', '1', '2', 'é']);
  t.equal(describeKey('\x1b[A'), 'the up arrow');
  t.equal(describeKey('\x1bOD'), 'the left arrow');
  t.equal(describeKey('\x1b[15~'), '"\\u001b[15~"');
});
