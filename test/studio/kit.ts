/**
 * What the studio's browser tests share: Debian's headless Chromium driven by playwright-core, a
 * workspace folder with a menu and a beep for each of its clips, and a studio server on it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { encodeWav } from '../../src/audio/wav.js';
import { clipSlug } from '../../src/clips/catalog.js';
import { loadMenu } from '../../src/ozml/load.js';
import { walkCommands } from '../../src/ozml/menu.js';
import { StudioServer } from '../../tools/studio/server.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** False when Chromium is there, else why the browser tests are skipped. */
export const skipBrowser: false | string = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** A folder with the menu (text or an example's path) and a short beep for each of its clips. */
export function makeWorkspace(
  source: string,
  options: { clips?: boolean; name?: string } = {},
): { dir: string; menu: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-studio-'));
  const text = source.startsWith('<') ? source : readFileSync(source, 'utf8');
  const menu = join(dir, options.name ?? (source.startsWith('<') ? 'menu.xml' : source.split('/').pop()!));
  writeFileSync(menu, text);
  if (options.clips === false) return { dir, menu };
  mkdirSync(join(dir, 'clips'));
  // 19 IMA blocks of 129 samples: the device plays all of it, 306 ms.
  const beep = new Int16Array(2451).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  walkCommands(loadMenu(text).menu?.commands ?? [], (c) => {
    if (c.kind === 'speak') writeFileSync(join(dir, 'clips', `${clipSlug(c.text)}.wav`), encodeWav(beep));
  });
  writeFileSync(join(dir, 'clips', 'catalog.json'), '{ "clips": {} }\n');
  return { dir, menu };
}

export interface Studio {
  browser: BrowserContext;
  url: string;
  server: StudioServer;
  /** A new page on the studio, loaded, with its errors collected. */
  open(viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** A studio server on `menu` and a fresh Chromium profile. */
export async function startStudio(menu: string, options: { downloads?: boolean } = {}): Promise<Studio> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'ringdown-chromium-'));
  const server = new StudioServer({ menuPath: menu, port: 0 });
  const url = await server.listen();
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: options.downloads ?? false,
  });
  return {
    browser,
    url,
    server,
    async open(viewport) {
      const page = await browser.newPage();
      if (viewport !== undefined) await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForSelector('#flow svg .node');
      return { page, errors };
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Reads one of the page's test hooks (`window.__studio`). */
export function hook<T>(page: Page, what: string): Promise<T> {
  return page.evaluate(`window.__studio.${what}`) as Promise<T>;
}

/** The id of the focused element (or its tag when it has none). */
export function focused(page: Page): Promise<string> {
  return page.evaluate('document.activeElement?.id || document.activeElement?.tagName || ""') as Promise<string>;
}

/** axe-core's script, when the package is installed (AXE_CORE names the file otherwise). */
export function axeScript(): string | undefined {
  const named = process.env.AXE_CORE;
  if (named !== undefined && existsSync(named)) return named;
  try {
    return createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  } catch {
    return undefined;
  }
}

/** A workspace on `source` and a studio on it, both gone at the test's teardown. */
export async function studioFor(
  t: { teardown(fn: () => Promise<void>): void },
  source: string,
  options: { clips?: boolean; name?: string; downloads?: boolean } = {},
): Promise<Studio & { dir: string; menu: string }> {
  const { dir, menu } = makeWorkspace(source, options);
  const studio = await startStudio(menu, options);
  t.teardown(async () => {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return Object.assign(studio, { dir, menu });
}
