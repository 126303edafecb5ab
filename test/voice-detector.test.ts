import t from 'tap';
import { DEFAULT_VOICE_OPTIONS, VoiceDetector } from '../src/audio/voice-detector.js';

const RATE = 8000;

function sine(ms: number, amplitude: number, hz = 440): Int16Array {
  const out = new Int16Array((ms * RATE) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
  return out;
}

/** A sine's RMS is its amplitude over sqrt 2. */
const rmsToAmplitude = (rms: number): number => rms * Math.SQRT2;

t.test('threshold: -40 dBFS RMS, just above is voice, just below is not', async (t) => {
  t.equal(DEFAULT_VOICE_OPTIONS.thresholdRms, 328);
  const above = new VoiceDetector();
  above.push(sine(100, rmsToAmplitude(335)));
  t.ok(above.heardVoice);
  const below = new VoiceDetector();
  below.push(sine(1000, rmsToAmplitude(320)));
  t.notOk(below.heardVoice);
  t.equal(below.silentSamples, 8000);
});

t.test('onset: 20 ms of loud sound is a click, 30 ms is voice', async (t) => {
  const click = new VoiceDetector();
  click.push(sine(20, 8000));
  click.push(new Int16Array(800));
  click.push(sine(20, 8000));
  t.notOk(click.heardVoice);
  const voice = new VoiceDetector();
  voice.push(sine(30, 8000));
  t.ok(voice.heardVoice);
  t.ok(voice.speaking);
});

t.test('hangover: voice lasts 300 ms after the last loud window, then silence counts', async (t) => {
  const d = new VoiceDetector();
  d.push(sine(200, 8000));
  d.push(new Int16Array(300 * 8));
  t.ok(d.speaking, 'gaps shorter than the hangover are not silence');
  t.equal(d.silentSamples, 0);
  d.push(new Int16Array(10 * 8));
  t.notOk(d.speaking);
  t.equal(d.silentSamples, 80);
  d.push(new Int16Array(1000 * 8));
  t.equal(d.silentSamples, 80 + 8000);
  d.push(sine(30, 8000));
  t.ok(d.speaking);
  t.equal(d.silentSamples, 0);
});

t.test('windows carry over between pushes of any length', async (t) => {
  const whole = new VoiceDetector();
  const pieces = new VoiceDetector();
  const signal = new Int16Array(8000);
  signal.set(sine(400, 6000), 2000);
  whole.push(signal);
  for (let at = 0; at < signal.length; at += 37) pieces.push(signal.subarray(at, Math.min(signal.length, at + 37)));
  t.equal(pieces.silentSamples, whole.silentSamples);
  t.equal(pieces.heardVoice, whole.heardVoice);
  t.ok(whole.heardVoice);
  // 350 ms after the voice: 300 ms of hangover, then 50 ms of silence.
  t.equal(whole.silentSamples, 50 * 8);
});
