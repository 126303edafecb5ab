/**
 * Builds the studio page (part of `npm run build`): tools/studio/web/main.ts and what it imports
 * from src/ and sim bundled by esbuild into dist/studio/app.js, beside index.html and
 * studio.css. The page runs the same core as `ringdown sim`; there is no second engine.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = `${root}dist/studio/`;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${root}tools/studio/web/main.ts`],
  outfile: `${out}app.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'studio.css']) copyFileSync(`${root}tools/studio/web/${file}`, `${out}${file}`);
