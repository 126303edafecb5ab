/**
 * A test voice for `<Record>`: noise shaped like speech, the same samples every time (pure code,
 * so the simulator, the tests, the device lane and the lin firmware's WAVs agree). The `tui` key
 * `s` speaks it into the line.
 */
/**
 * A caller's voice with the rhythm of speech: 20 s of "words" (noise shaped by a 4 Hz syllable
 * envelope, 0.3-1.2 s long) separated by pauses of 0.1-1 s, from a fixed seed.
 */
export function callerVoice(seconds: number): Int16Array {
  const out = new Int16Array(seconds * 8000);
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let i = 0;
  while (i < out.length) {
    const word = Math.floor((0.3 + random() * 0.9) * 8000);
    for (let k = 0; k < word && i < out.length; k++, i++) {
      const envelope = Math.abs(Math.sin((Math.PI * k) / 2000));
      out[i] = Math.round((random() * 2 - 1) * 9000 * envelope);
    }
    i += Math.floor((0.1 + random() * 0.9) * 8000);
  }
  return out;
}
