/**
 * The studio on a phone's screen and its saves, in headless Chromium: at 390 px the panes stack
 * and nothing scrolls sideways, the keypad stays put during a call; unsaved edits are asked about
 * before the page goes; a Save never replaces a file changed elsewhere since the page read it; a
 * file that is not UTF-8 is refused, not decoded lossily; an export ends at the call's last event.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import t from 'tap';
import { axeScript, hook, skipBrowser, studioFor } from './studio/kit.js';

const axe = axeScript();

const PHONE = { width: 390, height: 844 };

async function box(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.locator(selector).boundingBox();
  if (found === null) throw new Error(`${selector} is not shown`);
  return found;
}

t.test("a phone's screen: panes stacked, no sideways scroll", { skip: skipBrowser, timeout: 120_000 }, async (t) => {
  for (const example of ['examples/door-phone.xml', 'examples/door-pin.xml', 'examples/guestbook.xml']) {
    const studio = await studioFor(t, example);
    const { page, errors } = await studio.open(PHONE);
    const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    t.ok(wide <= PHONE.width, `${example}: the page is ${wide} px wide at 390`);
    const editor = await box(page, '#editor-pane');
    const flow = await box(page, '#flow-pane');
    const phone = await box(page, '#phone-pane');
    t.ok(
      flow.y >= editor.y + editor.height && phone.y >= flow.y + flow.height,
      `${example}: editor, flow and phone one under another`,
    );
    t.ok(phone.x >= 0 && phone.x + phone.width <= PHONE.width, `${example}: the phone is on screen`);
    t.same(errors, [], `${example}: no error in the page`);
    await page.close();
  }
});

t.test('the keypad does not move during a call', { skip: skipBrowser, timeout: 120_000 }, async (t) => {
  const long =
    'Welcome to the very long greeting of this building, which goes on and on about the entrance, the stairs, the lift and the letter boxes.';
  const studio = await studioFor(t, `<Response><Speak>${long}</Speak><Speak>Short.</Speak><Hangup/></Response>\n`, {
    clips: false,
  });
  for (const size of [PHONE, { width: 1280, height: 800 }]) {
    const { page } = await studio.open(size);
    // On a phone the keypad is down the page: bring it into view as a user would, then measure.
    await page.locator('#keypad').scrollIntoViewIfNeeded();
    const before = await box(page, '#keypad');
    const hookBefore = await box(page, '#hook');
    await page.click('#hook');
    await page.waitForFunction(`window.__studio.trace.some((l) => / play /.test(l))`);
    t.same(await box(page, '#keypad'), before, `${size.width} px: the keypad stays put while a long prompt plays`);
    t.same(await box(page, '#hook'), hookBefore, `${size.width} px: so does the handset button`);
    await page.close();
  }
});

t.test('unsaved edits: leaving the page asks first', { skip: skipBrowser, timeout: 60_000 }, async (t) => {
  const studio = await studioFor(t, 'examples/door-phone.xml');
  const { page } = await studio.open();
  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (d) => void d.accept().then(() => resolve(d.type()))),
  );
  await page.click('#source');
  await page.keyboard.type('x');
  await page.close({ runBeforeUnload: true });
  const type = await Promise.race([asked, new Promise<string>((resolve) => setTimeout(() => resolve('none'), 3000))]);
  t.equal(type, 'beforeunload', 'closing with unsaved edits asks');

  const clean = await studio.open();
  await clean.page.click('#source');
  let dialogs = 0;
  clean.page.on('dialog', (d) => {
    dialogs++;
    void d.accept();
  });
  await clean.page.close({ runBeforeUnload: true });
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(dialogs, 0, 'without edits it does not');
});

t.test('a Save never replaces a change made elsewhere', { skip: skipBrowser, timeout: 90_000 }, async (t) => {
  const studio = await studioFor(t, 'examples/door-phone.xml');
  const { menu } = studio;
  const text = readFileSync(menu, 'utf8');
  const first = await studio.open();
  const second = await studio.open();

  // Two tabs: the first saves; the second's Save is refused, the first's change kept.
  const mine = text.replace('<Delay>0.5</Delay>', '<Delay>0.25</Delay>');
  await first.page.fill('#source', mine);
  await first.page.click('#save');
  await first.page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
  const theirs = text.replace('<Delay>0.5</Delay>', '<Delay>0.75</Delay>');
  await second.page.fill('#source', theirs);
  await second.page.click('#save');
  await second.page.waitForSelector('#conflict:not([hidden])');
  t.equal(readFileSync(menu, 'utf8'), mine, "the second tab did not overwrite the first's Save");
  t.match(await second.page.locator('#status').textContent(), /changed since the page read it/, 'it says why');
  t.equal(await second.page.locator('#theirs').textContent(), mine, "and shows the file's version");
  t.equal(await second.page.inputValue('#source'), theirs, 'its own text still in the editor');
  await second.page.click('#keep-mine');
  await second.page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
  t.equal(readFileSync(menu, 'utf8'), theirs, 'Save mine over it: saved on purpose');
  t.equal(
    (await hook<{ text: string }[]>(second.page, 'history'))[0]?.text,
    mine,
    "and the history keeps the first tab's version it replaced",
  );

  // Another editor changes the file: the first tab's next Save is refused; loading theirs works.
  const outside = text.replace('<Delay>0.5</Delay>', '<Delay>1</Delay>');
  writeFileSync(menu, outside);
  await first.page.fill('#source', mine.replace('0.25', '0.3'));
  await first.page.keyboard.press('Control+s');
  await first.page.waitForSelector('#conflict:not([hidden])');
  t.equal(readFileSync(menu, 'utf8'), outside, 'a change made by another editor is not overwritten');
  await first.page.click('#load-theirs');
  t.equal(await first.page.inputValue('#source'), outside, "Load the file's version puts it in the editor");
  await first.page.fill('#source', outside.replace('<Delay>1</Delay>', '<Delay>2</Delay>'));
  await first.page.click('#save');
  await first.page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
  t.match(readFileSync(menu, 'utf8'), /<Delay>2<\/Delay>/, 'and a Save after it goes through');
});

t.test(
  'a file that is not UTF-8 is refused, not decoded lossily',
  { skip: skipBrowser, timeout: 60_000 },
  async (t) => {
    const studio = await studioFor(t, '<Response><Speak>Caf\u00e9.</Speak></Response>\n', { clips: false });
    const latin1 = Buffer.from('<Response><Speak>Caf\u00e9.</Speak></Response>\n', 'latin1');
    writeFileSync(studio.menu, latin1);
    const page = await studio.browser.newPage();
    await page.goto(studio.url);
    await page.waitForFunction(`document.body.textContent.includes('not UTF-8')`);
    t.match(
      await page.locator('body').textContent(),
      /menu\.xml: not UTF-8 \(byte 22 is not valid UTF-8\)/,
      'the page says which file and byte',
    );
    t.same(readFileSync(studio.menu), latin1, 'the file is untouched');
  },
);

t.test("an export ends at the call's last event", { skip: skipBrowser, timeout: 60_000 }, async (t) => {
  const studio = await studioFor(t, 'examples/door-phone.xml', { downloads: true });
  const { page } = await studio.open();
  await page.click('#hook');
  await page.waitForFunction(`window.__studio.trace.some((l) => / play /.test(l))`);
  await page.click('#hook');
  await page.waitForFunction(`window.__studio.trace.some((l) => / onhook/.test(l))`);
  const trace = await hook<string[]>(page, 'trace');
  const last = Number(/^\s+(\d+\.\d{3})/.exec(trace.at(-1)!)![1]);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.click('#export');
  while (downloads.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
  const byName = new Map(downloads.map((d) => [d.suggestedFilename(), d]));
  const exported = readFileSync(await byName.get('door-phone-call.txt')!.path(), 'utf8')
    .trimEnd()
    .split('\n');
  t.match(
    exported.at(-1),
    new RegExp(`^\\s+${last.toFixed(3).replace('.', '\\.')} {2}end$`),
    `the trace ends at the last event (${last} s), not at the click`,
  );
  const wav = readFileSync(await byName.get('door-phone-call.wav')!.path());
  t.equal(wav.length, 44 + 2 * Math.round(8 * last * 1000), 'and so does the audio');
});

t.test(
  'save history: each Save keeps what it replaced; diff; restore',
  { skip: skipBrowser, timeout: 90_000 },
  async (t) => {
    const studio = await studioFor(t, 'examples/door-phone.xml');
    const { dir, menu } = studio;
    const original = readFileSync(menu, 'utf8');
    const { page, errors } = await studio.open();
    const save = async (text: string): Promise<void> => {
      await page.fill('#source', text);
      await page.click('#save');
      await page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
    };
    const one = original.replace('<Delay>0.5</Delay>', '<Delay>1</Delay>');
    const two = one.replace('<Delay>1</Delay>', '<Delay>2</Delay>');
    await save(one);
    await save(two);
    const kept = await hook<{ text: string }[]>(page, 'history');
    t.same(
      kept.map((v) => v.text),
      [one, original],
      'newest first: the versions the two Saves replaced',
    );

    await page.click('#history-button');
    t.equal(await page.getAttribute('#history-button', 'aria-expanded'), 'true', 'History opens its panel');
    t.equal(await page.locator('#versions button').count(), 2, 'listing both versions');
    await page.click('#versions li:nth-child(2) button');
    const removed = await page.locator('#diff .del').allTextContents();
    const added = await page.locator('#diff .add').allTextContents();
    t.same([removed.length, added.length], [1, 1], 'the diff against the editor: one line changed');
    t.match(removed[0], /^− +<Delay>0\.5<\/Delay>$/, 'the line only in that version');
    t.match(added[0], /^\+ +<Delay>2<\/Delay>$/, 'the line only in the editor');
    t.match(await page.locator('#diff .skip').last().textContent(), /^ +⋯ \d+ unchanged lines$/, 'far lines summed up');

    if (axe !== undefined) {
      for (const size of [{ width: 1280, height: 800 }, PHONE]) {
        await page.setViewportSize(size);
        await page.addScriptTag({ path: axe });
        const found = (await page.evaluate(
          `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`,
        )) as string[];
        t.same(found, [], `${size.width} px, the History panel open: axe finds nothing serious`);
      }
      const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      t.ok(wide <= PHONE.width, `and at 390 px nothing scrolls sideways (${wide} px)`);
    }
    await page.click('#restore');
    t.equal(await page.inputValue('#source'), original, 'Restore puts that version in the editor');
    t.equal(readFileSync(menu, 'utf8'), two, 'and writes nothing until Save');
    t.match(await page.locator('#status').textContent(), /Save to write it/, 'it says so');
    await page.click('#save');
    await page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
    t.equal(readFileSync(menu, 'utf8'), original, 'Save writes the restored version');
    t.same(
      readdirSync(dir).sort(),
      ['clips', 'door-phone.xml'],
      'and no file but the menu is written: the history is in the browser',
    );

    // The history outlives the page (the browser keeps it, per file).
    await page.close({ runBeforeUnload: false });
    const again = await studio.open();
    t.same(
      (await hook<{ text: string }[]>(again.page, 'history')).map((v) => v.text),
      [two, one, original],
      'a new page on the file has the same history',
    );
    t.same(errors, [], 'no error in the page');
  },
);
