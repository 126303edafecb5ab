/**
 * The studio for everyone, in headless Chromium at a desktop's 1280x800 and a phone's 390x844, on
 * every example and on the deepest menu the loader takes and a 500-command menu: an axe-core audit with no serious
 * finding, the diagram's text drawn at a readable size, zoom and fit, and the lit node kept in
 * view. STUDIO_SCREENSHOTS=DIR keeps a screenshot of each example at each size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import t from 'tap';
import { hasErrors } from '../src/ozml/diagnostic.js';
import { loadMenu } from '../src/ozml/load.js';
import { axeScript, hook, skipBrowser, studioFor } from './studio/kit.js';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/**
 * A menu nested `depth` UserInputs deep, key 1 going one deeper each time: 7 nests its elements
 * 23 deep, the most the loader takes (24).
 */
function deepMenu(depth: number): string {
  let inner = '<Speak>The bottom.</Speak>';
  for (let level = depth; level >= 1; level--) {
    inner = `<UserInput timeout="5"><InitialCommands><Speak>Level ${level}, press 1.</Speak></InitialCommands><Inputs><Input key="1">${inner}</Input></Inputs></UserInput>`;
  }
  return `<Response>${inner}<Hangup/></Response>\n`;
}

function longMenu(commands: number): string {
  const lines = Array.from({ length: commands }, (_, i) =>
    i % 2 === 0 ? `<Speak>Line ${i}.</Speak>` : '<Delay>0.1</Delay>',
  );
  return `<Response>\n${lines.join('\n')}\n</Response>\n`;
}

/** What a focused element is called: its id, a keypad key, a fold button, or its tag. */
const FOCUSED = `(() => {
  const e = document.activeElement;
  if (e === null) return '';
  if (e.id) return e.id;
  if (e.dataset?.key) return 'key ' + e.dataset.key;
  if (e.dataset?.node) return 'fold ' + e.dataset.node;
  return e.tagName;
})()`;

/** The size on screen of the diagram's smallest text, in CSS pixels. */
function smallestText(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const svg = document.querySelector('#flow svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return Math.min(...sizes);
  })()`) as Promise<number>;
}

const axe = axeScript();

const MENUS: [string, string][] = [
  ['door-phone', 'examples/door-phone.xml'],
  ['door-pin', 'examples/door-pin.xml'],
  ['guestbook', 'examples/guestbook.xml'],
  ['deep', deepMenu(7)],
  ['long', longMenu(500)],
];

/** Ozeki's own example menus that load (one has an error on purpose: the studio draws no diagram for it). */
const OZEKI: [string, string][] = readdirSync('examples/ozeki')
  .filter((f) => f.endsWith('.xml'))
  .map((f): [string, string] => [`ozeki-${f.replace(/\.xml$/, '')}`, `examples/ozeki/${f}`])
  .filter(([, file]) => !hasErrors(loadMenu(readFileSync(file, 'utf8')).diagnostics));

t.test('audit and readable diagram at both sizes', { skip: skipBrowser, timeout: 500_000 }, async (t) => {
  t.ok(OZEKI.length >= 5, `${OZEKI.length} of Ozeki's examples load`);
  for (const [name, source] of [...MENUS, ...OZEKI]) {
    const studio = await studioFor(t, source, { clips: false, name: `${name}.xml` });
    for (const size of SIZES) {
      const { page, errors } = await studio.open(size);
      const at = `${name} at ${size.width}x${size.height}`;
      t.ok((await smallestText(page)) >= 11, `${at}: the diagram's text is at least 11 px`);
      if (axe !== undefined) {
        await page.addScriptTag({ path: axe });
        const found = (await page.evaluate(
          `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`,
        )) as string[];
        t.same(found, [], `${at}: axe finds nothing serious`);
      }
      const shots = process.env.STUDIO_SCREENSHOTS;
      if (shots !== undefined && !['deep', 'long'].includes(name) && !name.startsWith('ozeki-'))
        await page.screenshot({ path: join(shots, `studio-${name}-${size.width}.png`) });
      t.same(errors, [], `${at}: no error in the page`);
      await page.close();
    }
  }
  if (axe === undefined) t.comment('axe-core is not installed (npm install): the audit did not run');
});

t.test('zoom, fit, and the lit node in view', { skip: skipBrowser, timeout: 120_000 }, async (t) => {
  const studio = await studioFor(t, deepMenu(7), { clips: false, name: 'deep.xml' });
  const { page } = await studio.open();
  const width = (): Promise<number> =>
    page.evaluate(`document.querySelector('#flow svg').getBoundingClientRect().width`) as Promise<number>;
  const own = await width();
  await page.click('#zoom-in');
  t.ok((await width()) > own, 'zoom in draws it larger');
  await page.focus('#flow');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  t.ok((await width()) < own, '- from the keyboard zooms out');
  await page.click('#zoom-fit');
  const fits = (await page.evaluate(
    `(() => { const s = document.querySelector('#flow svg').getBoundingClientRect(); const p = document.getElementById('flow').getBoundingClientRect(); return s.width <= p.width && s.height <= p.height; })()`,
  )) as boolean;
  t.ok(fits, 'Fit shows it whole');
  await page.click('#zoom-reset');
  t.equal(await width(), own, '100 % is its own size again');

  // Down the menu key by key: the lit node stays inside the diagram's pane.
  await page.click('#hook');
  for (let level = 1; level <= 6; level++) {
    await page.waitForFunction(`window.__studio.trace.some((l) => l.includes('Level ${level}, press 1.'))`);
    await page.evaluate('document.activeElement.blur()');
    await page.keyboard.press('1');
  }
  await page.waitForFunction(`window.__studio.trace.some((l) => l.includes('Level 7, press 1.'))`);
  const inView = (await page.evaluate(
    `(() => { const n = document.querySelector('#flow .node.lit').getBoundingClientRect(); const p = document.getElementById('flow').getBoundingClientRect(); return n.top >= p.top && n.bottom <= p.bottom && n.left >= p.left && n.right <= p.right; })()`,
  )) as boolean;
  t.ok(inView, 'the lit node at level 7 is in view');
});

t.test('keyboard only: Tab reaches every control at both sizes', { skip: skipBrowser, timeout: 400_000 }, async (t) => {
  const controls = [
    'save',
    'history-button',
    'source',
    'zoom-out',
    'zoom-reset',
    'zoom-in',
    'zoom-fit',
    'flow',
    'n-start',
    'hook',
    ...['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'].map((k) => `key ${k}`),
    'flash',
    'ring',
    'profile',
    'export',
    'trace',
  ];
  for (const [name, source] of MENUS) {
    const studio = await studioFor(t, source, { clips: false, name: `${name}.xml` });
    for (const size of SIZES) {
      const { page, errors } = await studio.open(size);
      const at = `${name} at ${size.width}x${size.height}`;
      const seen = new Set<string>();
      let stops = 0;
      // Round the page once with Tab: the diagram is one stop, its boxes are walked with arrows.
      for (; stops < 80 && !seen.has('trace'); stops++) {
        await page.keyboard.press('Tab');
        const focused = (await page.evaluate(FOCUSED)) as string;
        seen.add(focused);
        // The editor keeps Tab for indenting: Escape first, as its label says.
        if (focused === 'source') await page.keyboard.press('Escape');
        if (focused === 'n-start' && name === 'door-phone') {
          const items = await page.locator('#flow .node, #flow .fold').count();
          for (let i = 1; i < items; i++) {
            await page.keyboard.press('ArrowDown');
            seen.add((await page.evaluate(FOCUSED)) as string);
          }
          t.ok(
            ['n-13-9', 'n-33-3', 'fold n-5-3', 'fold n-16-9'].every((item) => seen.has(item)),
            `${at}: the arrow keys reach every box and fold button`,
          );
        }
      }
      t.same(
        controls.filter((w) => !seen.has(w)),
        [],
        `${at}: Tab reached every control in ${stops} stops`,
      );
      t.ok(stops < 60, `${at}: the diagram is one Tab stop`);
      // Clicks all over the diagram (boxes, fold buttons, the background): the menu never changes.
      const boxes = await page.locator('#flow .node').count();
      for (let i = 0; i < boxes; i += Math.max(1, Math.floor(boxes / 12))) {
        const box = page.locator('#flow .node').nth(i);
        await box.scrollIntoViewIfNeeded();
        await box.click();
      }
      // Each fold button twice: folded, then open again as it was.
      const folds = await page.locator('#flow .fold').count();
      for (let i = 0; i < Math.min(folds, 4); i++)
        for (const _ of [1, 2]) {
          const fold = page.locator('#flow .fold').nth(i);
          await fold.scrollIntoViewIfNeeded();
          await fold.click();
        }
      t.equal(
        await page.locator('#flow .node').count(),
        boxes,
        `${at}: folded and unfolded, the diagram is whole again`,
      );
      await page.click('#flow', { position: { x: 5, y: 5 } });
      t.not((await page.evaluate(FOCUSED)) as string, 'source', `${at}: no click on the diagram focuses the editor`);
      t.equal(await page.inputValue('#source'), readFileSync(studio.menu, 'utf8'), `${at}: the menu text is untouched`);
      t.same(await hook<string[]>(page, 'trace'), [], `${at}: nothing was sent to the phone`);
      t.same(errors, [], `${at}: no error in the page`);
      await page.close();
    }
  }
});
