/**
 * The studio from the keyboard, in headless Chromium: the editor can be left, focused buttons
 * take Space and Enter, the phone's page-wide keys stay off focused controls, the diagram's nodes
 * and the diagnostics are reachable and operable, focus is visible, and a click on the diagram
 * during a call never sends keys into the menu. And the call runs exactly the editor's text.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { focused, hook, skipBrowser, studioFor } from './studio/kit.js';

t.test(
  'keyboard: leave the editor, buttons, nodes, diagnostics, focus ring',
  { skip: skipBrowser, timeout: 120_000 },
  async (t) => {
    const studio = await studioFor(t, 'examples/door-phone.xml');
    const { menu } = studio;
    const { page, errors } = await studio.open();
    const text = readFileSync(menu, 'utf8');

    // Tab indents in the editor; Escape then Tab moves on, the text untouched.
    await page.focus('#source');
    await page.keyboard.press('Tab');
    t.equal((await page.inputValue('#source')).length, text.length + 2, 'Tab indents in the editor');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    t.not(await focused(page), 'source', 'Escape then Tab leaves the editor');
    t.equal(await page.inputValue('#source'), text, 'and types nothing into it');
    await page.focus('#source');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    t.not(await focused(page), 'source', 'Escape then Shift-Tab leaves it backwards');

    // Space on the focused Save button saves; it does not lift the handset.
    await page.fill('#source', text.replace('<Delay>0.5</Delay>', '<Delay>0.25</Delay>'));
    await page.waitForSelector('#diagnostics li.ok');
    await page.focus('#save');
    await page.keyboard.press('Space');
    await page.waitForFunction(`document.getElementById('status').textContent.startsWith('saved')`);
    t.match(readFileSync(menu, 'utf8'), /<Delay>0\.25<\/Delay>/, 'Space on Save saves');
    t.same(await hook<string[]>(page, 'trace'), [], 'and does not lift the handset');
    // A focused select keeps its keys.
    await page.focus('#profile');
    await page.keyboard.press('Space');
    t.same(await hook<string[]>(page, 'trace'), [], 'Space on the tones select does not lift the handset');
    await page.keyboard.press('Escape');

    // Enter on the hook button lifts; Enter on a keypad key sends that key, not a hook change.
    await page.focus('#hook');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`window.__studio.trace.some((l) => / play /.test(l))`);
    await page.focus('#keypad button[data-key="2"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`window.__studio.trace.some((l) => /match\\s+key="2"/.test(l))`);
    t.notOk(
      (await hook<string[]>(page, 'trace')).some((l) => / onhook/.test(l)),
      'Enter on key 2 sent 2 and kept the handset up',
    );

    // A click on a node during the call: its details show, focus is not in the editor, the next
    // digit goes to the call and the menu is unchanged.
    const before = await page.inputValue('#source');
    await page.click('#flow #n-22-15');
    t.not(await focused(page), 'source', 'a click on the diagram does not focus the editor');
    t.match(
      await page.locator('#source-line').textContent(),
      /Speak: “.+”\nline 22: <Speak>/,
      'the node details show its whole text and line',
    );
    await page.keyboard.press('1');
    await page.waitForFunction(`window.__studio.lit === 'n-22-15'`);
    t.equal(await page.inputValue('#source'), before, 'the digit went to the call, not into the menu');

    // Nodes are focusable and operable: Enter shows a node's details.
    await page.focus('#flow #n-13-9');
    await page.keyboard.press('Enter');
    t.match(await page.locator('#source-line').textContent(), /line 13/, 'Enter on a focused node shows its details');
    t.equal(await focused(page), 'n-13-9', 'focus stays on the node');
    const ring = (await page.evaluate(
      `getComputedStyle(document.querySelector('#n-13-9 rect')).strokeWidth`,
    )) as string;
    t.equal(ring, '4px', 'the focused node has a visible ring');
    await page.keyboard.press('Space');
    t.notOk(
      (await hook<string[]>(page, 'trace')).some((l) => / onhook/.test(l)),
      'Space on a node does not replace the handset',
    );

    // Focus on no control: Space replaces the handset.
    await page.evaluate('document.activeElement.blur()');
    await page.keyboard.press('Space');
    await page.waitForFunction(`window.__studio.trace.some((l) => / onhook/.test(l))`);
    t.pass('Space with focus on no control replaces the handset');

    // Focus is visible on buttons; the line state is announced, the trace is not.
    await page.focus('#save');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    t.not(
      (await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`)) as string,
      'none',
      'a focused button has an outline',
    );
    t.equal(await page.getAttribute('#line-state', 'aria-live'), 'polite', 'the line state is a live region');
    t.equal(await page.getAttribute('#trace', 'aria-live'), null, 'the trace is not read line by line');

    // Diagnostics are buttons: Enter on one puts the caret at its line.
    await page.fill('#source', text.replace('<Delay>0.5</Delay>', '<Delay>soon</Delay>'));
    await page.waitForSelector('#diagnostics li.error button');
    await page.focus('#diagnostics li.error button');
    await page.keyboard.press('Enter');
    t.equal(await focused(page), 'source', 'Enter on a diagnostic goes to the editor');
    const caret = (await page.evaluate(
      `(() => { const s = document.getElementById('source'); return s.value.slice(0, s.selectionStart).split('\\n').length; })()`,
    )) as number;
    t.equal(caret, 4, "at the diagnostic's line");
    t.same(errors, [], 'no error in the page');
  },
);

t.test("calls run exactly the editor's text", { skip: skipBrowser, timeout: 120_000 }, async (t) => {
  const studio = await studioFor(t, 'examples/door-phone.xml');
  const { menu } = studio;
  const { page, errors } = await studio.open();
  const text = readFileSync(menu, 'utf8');

  // An error in the editor: the handset refuses and says the first error.
  await page.fill('#source', text.replace('<Delay>0.5</Delay>', '<Delay>soon</Delay>'));
  await page.waitForSelector('#diagnostics li.error');
  const first = (await hook<string[]>(page, 'diagnostics'))[0]!;
  await page.click('#hook');
  t.same(await hook<string[]>(page, 'trace'), [], 'with an error no call starts');
  t.match(await page.locator('#status').textContent(), first, 'and the first error is shown');

  // New wording without a clip: a warning, and the browser speaks it in the call.
  await page.fill('#source', text.replace('Welcome. For the office, press 1.', 'Hello. For the office, press 1.'));
  await page.waitForSelector('#diagnostics li.warning');
  t.notOk(
    (await hook<string[]>(page, 'diagnostics')).some((l) => / error: /.test(l)),
    'a missing clip is no error in the studio',
  );
  await page.click('#hook');
  await page.waitForFunction(`window.__studio.trace.some((l) => /play\\s+text="Hello\\. For the office/.test(l))`);
  await page.waitForFunction('window.__studio.speechStarted > 0');
  t.pass('the call ran the new wording, spoken by the browser');
  t.same(errors, [], 'no error in the page');
});

t.test(
  'sub-menus fold and unfold from the keyboard; a focused node shows its whole text',
  { skip: skipBrowser, timeout: 120_000 },
  async (t) => {
    const studio = await studioFor(t, 'examples/door-phone.xml');
    const { page, errors } = await studio.open();
    const fold = '#flow .fold[data-node="n-16-9"]';
    const nodes = (): Promise<number> => page.locator('#flow .node').count();
    t.equal(await page.getAttribute(fold, 'aria-expanded'), 'true', 'the sub-menu is drawn open');
    const open = await nodes();

    // Tab reaches a node: its details show the whole prompt, which the box cuts short.
    await page.focus('#flow #n-13-9');
    const tip = (await page.locator('#n-13-9 > title').textContent())!.replace(/ \(line \d+\)$/, '');
    t.match(tip, /Please ring the bell on the left\.”$/, 'the hover text is the whole prompt');
    t.match(await page.locator('#n-13-9 text.detail').textContent(), /…$/, 'the box shows it cut');
    t.ok((await page.locator('#source-line').textContent())!.includes(tip), 'focus shows it whole in the details');

    // Enter on the fold button: one box for the sub-menu; focus stays on the button.
    await page.focus(fold);
    await page.keyboard.press('Enter');
    t.equal(await page.getAttribute(fold, 'aria-expanded'), 'false', 'Enter folds it');
    t.equal(await page.locator('#flow #n-22-15').count(), 0, 'what is under it is not drawn');
    t.ok((await nodes()) < open, `fewer nodes (${await nodes()} of ${open})`);
    t.equal(
      await page.evaluate(`document.activeElement.getAttribute('data-node')`),
      'n-16-9',
      'focus stays on its button',
    );
    t.same(await hook<string[]>(page, 'trace'), [], 'and Enter there lifted no handset');

    // A call into the folded sub-menu lights its box; unfolding lights the prompt playing in it.
    await page.click('#hook');
    await page.waitForFunction(`window.__studio.trace.some((l) => / play /.test(l))`);
    await page.evaluate('document.activeElement.blur()');
    await page.keyboard.press('2');
    await page.waitForFunction(`window.__studio.trace.some((l) => /Leave parcels/.test(l))`);
    t.equal(await hook<string>(page, 'lit'), 'n-16-9', 'the folded box is lit');
    await page.focus(fold);
    await page.keyboard.press('Space');
    t.equal(await page.getAttribute(fold, 'aria-expanded'), 'true', 'Space unfolds it');
    t.equal(await hook<string>(page, 'lit'), 'n-18-13', 'and the prompt inside is lit');
    await page.click(fold);
    t.equal(await page.getAttribute(fold, 'aria-expanded'), 'false', 'a click folds it too');
    await page.click(fold);
    t.equal(await page.inputValue('#source'), readFileSync(studio.menu, 'utf8'), 'folding never changes the menu');
    t.notOk(
      (await hook<string[]>(page, 'trace')).some((l) => / onhook/.test(l)),
      'Space on the button kept the handset up',
    );
    t.same(errors, [], 'no error in the page');
  },
);
