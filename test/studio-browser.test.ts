/**
 * The studio in a real browser (Debian's headless Chromium driven by playwright-core): load the
 * door-phone menu, break it and see the diagnostic at its line and column, mend it, save it,
 * lift the handset, press keys, and check the trace, the lit node, the audio and the export.
 * Skipped (one line) where Chromium is not installed. STUDIO_SCREENSHOTS=DIR keeps screenshots.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download } from 'playwright-core';
import t from 'tap';
import { runCheck } from '../tools/check.js';
import { StudioServer } from '../tools/studio/server.js';
import { skipBrowser, studioFor } from './studio/kit.js';

function checkLines(file: string): string[] {
  const lines: string[] = [];
  runCheck([file], (line) => lines.push(line));
  return lines;
}

t.test(
  'studio in headless Chromium: edit, check, save, call, hear, export',
  { skip: skipBrowser, timeout: 90_000 },
  async (t) => {
    const run = await studioFor(t, 'examples/door-phone.xml', { downloads: true });
    const { dir, menu } = run;
    const browser = run.browser;
    const { page, errors } = await run.open({ width: 1440, height: 860 });
    const shots = process.env.STUDIO_SCREENSHOTS;
    const studio = <T>(what: string): Promise<T> => page.evaluate(`window.__studio.${what}`) as Promise<T>;

    // The checker's words, as `ringdown check` prints them.
    t.same(
      await studio<string[]>('diagnostics'),
      checkLines(menu),
      'a valid menu: the same "ok" line as ringdown check',
    );
    const nodes = await page.locator('#flow svg g.node').count();
    t.ok(nodes >= 12, `the flow has the menu's nodes (${nodes})`);

    // Break it: the diagnostic appears at its line and column, with check's message.
    const text = readFileSync(menu, 'utf8');
    const broken = text.replace('<Delay>0.5</Delay>', '<Delay>soon</Delay>');
    await page.fill('#source', broken);
    await page.waitForSelector('#diagnostics li.error');
    writeFileSync(join(dir, 'broken.xml'), broken);
    const expected = checkLines(join(dir, 'broken.xml')).map((l) => l.replace(join(dir, 'broken.xml'), menu));
    t.same(await studio<string[]>('diagnostics'), expected, 'the same diagnostics as ringdown check');
    t.match(expected[0], /:4:\d+: error: /, 'the error is on line 4');
    const col = Number(/:4:(\d+):/.exec(expected[0]!)?.[1]);
    const mark = page.locator('#highlight mark.error');
    t.equal(await mark.getAttribute('data-line'), '4', 'marked at line 4');
    t.equal(await mark.getAttribute('data-col'), String(col), `marked at column ${col}`);
    const box = (await mark.boundingBox())!;
    const area = (await page.locator('#source').boundingBox())!;
    const lineHeight = 18;
    t.ok(
      Math.abs(box.y - (area.y + 8 + 3 * lineHeight)) <= 3,
      `the mark sits on the fourth line (y ${box.y}, textarea ${area.y})`,
    );
    const charW = (await page.evaluate(
      `(() => { const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(document.getElementById('source')).font; return c.measureText('x').width; })()`,
    )) as number;
    t.ok(Math.abs(box.x - (area.x + 8 + (col - 1) * charW)) <= 3, `and at column ${col} (x ${box.x})`);
    t.equal(await page.locator('#gutter .bad').textContent(), '4', 'the line number is flagged');
    t.ok(await page.locator('#flow.stale').count(), 'the diagram shows the last valid menu, dimmed');
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'studio-diagnostic.png') });

    // Mend it and save: the named file is replaced, nothing else is left in its folder.
    const mended = text.replace('<Delay>0.5</Delay>', '<Delay>0.25</Delay>');
    await page.fill('#source', mended);
    await page.waitForSelector('#diagnostics li.ok');
    await page.click('#save');
    await page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
    t.equal(readFileSync(menu, 'utf8'), mended, 'Save wrote the editor text to the menu file');
    t.same(readdirSync(dir).sort(), ['broken.xml', 'clips', 'door-phone.xml'], 'no temporary file left behind');

    // Call it: lift, hear the prompt, press 2 then 1.
    await page.click('#hook');
    await page.waitForFunction(`window.__studio.trace.some((l) => / play /.test(l))`);
    t.equal(await studio<string>('lit'), 'n-7-7', 'the first prompt is lit while it plays');
    t.equal(await page.locator('#flow #n-7-7.lit').count(), 1, 'and drawn lit');
    t.ok((await studio<number>('audioStarted')) > 0, 'Web Audio started the clip');
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'studio.png') });
    await page.click('#keypad button[data-key="2"]');
    await page.waitForFunction(`window.__studio.trace.some((l) => /match\\s+key="2"/.test(l))`);
    await page.waitForFunction(`window.__studio.lit === 'n-18-13'`);
    t.pass('after 2, the deliveries prompt is lit');
    await page.keyboard.press('1');
    await page.waitForFunction(`window.__studio.lit === 'n-22-15'`);
    t.pass('after 1 from the keyboard, the neighbour message is lit');
    const trace = await studio<string[]>('trace');
    t.match(trace[0], /^\s+0\.000 {2}offhook$/, "the trace in ringdown sim's words");
    t.ok(
      trace.some((l) => /^\s+\d+\.\d{3} {2}delay {5}ms=250$/.test(l)),
      'the saved Delay ran',
    );
    t.ok(
      trace.some((l) =>
        /play\s+text="Welcome\. For the office, press 1\." clip="welcome-for-the-office-press-1" ms=306/.test(l),
      ),
      'the clip length comes from its file',
    );
    t.ok((await studio<number>('audioStarted')) >= 3, 'every clip started in Web Audio');
    t.same(errors, [], 'no error in the page');

    // Export: the trace and the call's audio, as sim prints and --wav writes them.
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.click('#export');
    await page.waitForFunction(`document.getElementById('status').textContent.startsWith('exported')`);
    while (downloads.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    const byName = new Map(downloads.map((d) => [d.suggestedFilename(), d]));
    const exported = readFileSync(await byName.get('door-phone-call.txt')!.path())
      .toString('utf8')
      .trimEnd()
      .split('\n');
    t.same(exported.slice(0, trace.length), trace, 'the exported trace is the trace shown');
    t.match(exported.at(-1), /^\s+\d+\.\d{3} {2}end$/, 'and ends with end, as sim does');
    const wav = readFileSync(await byName.get('door-phone-call.wav')!.path());
    t.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF', 'the audio is a WAV');
    const endMs = Math.round(Number(/^\s+(\d+\.\d{3})/.exec(exported.at(-1)!)![1]) * 1000);
    t.equal(wav.length, 44 + 2 * 8 * endMs, `8 kHz audio as long as the trace (${endMs} ms)`);
    t.ok(
      wav.subarray(44).some((b) => b !== 0),
      'and not silent: the clips are in it',
    );
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'studio-call.png') });

    // No clip folder: the browser's speech synthesis reads each Speak, and the page says so.
    const bare = mkdtempSync(join(tmpdir(), 'ringdown-studio-bare-'));
    t.teardown(() => rmSync(bare, { recursive: true, force: true }));
    writeFileSync(join(bare, 'menu.xml'), '<Response><Speak>Hello there.</Speak><Hangup/></Response>\n');
    const speaking = new StudioServer({ menuPath: join(bare, 'menu.xml'), port: 0 });
    const speakingUrl = await speaking.listen();
    t.teardown(() => speaking.close());
    const second = await browser.newPage();
    await second.goto(speakingUrl);
    await second.waitForSelector('#flow svg .node');
    await second.click('#hook');
    await second.waitForFunction(`window.__studio.speechStarted > 0`);
    const notes = (await second.evaluate('window.__studio.notes')) as string[];
    t.match(
      notes.join('\n'),
      /no clip folder: every Speak is read by the browser's speech synthesis/,
      'the page says there are no clips',
    );
    t.match(
      notes.join('\n'),
      /no clip file hello-there\.wav: speech synthesis reads "Hello there\."/,
      'and which clip speech reads',
    );
    t.equal(await second.locator('#notes li').count(), notes.length, 'the notes are on the page');
  },
);
