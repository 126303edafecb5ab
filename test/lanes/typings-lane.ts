/**
 * Type-checks the device code (main.ts, the drivers, every board) against the Moddable SDK's own
 * typings ($MODDABLE/typings), which are newer than @moddable/typings on npm (the other device
 * lane of `npm test`). Without the SDK it prints why and `# lane: skipped`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../xs/bundle.js';
import { findSdk } from '../../tools/device/sdk.js';

const sdk = findSdk();
if (typeof sdk === 'string') {
  process.stdout.write(`# SDK typings lane skipped: ${sdk}\n# lane: skipped\n`);
} else {
  const dir = join(REPO_ROOT, 'build', 'ringdown');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'tsconfig.sdk-typings.json');
  writeFileSync(
    config,
    `${JSON.stringify(
      {
        '//': 'Written by test/lanes/typings-lane.ts: tsconfig.device.json with the SDK typings in place of the npm ones.',
        extends: '../../tsconfig.device.json',
        compilerOptions: { types: [] },
        include: [
          '../../main.ts',
          '../../drivers/*/*.ts',
          '../../boards/slic/*.ts',
          '../../boards/*/board.ts',
          join(sdk.root, 'typings', '**', '*.d.ts'),
          join(sdk.root, 'xs', 'includes', 'xs.d.ts'),
        ],
      },
      null,
      2,
    )}\n`,
  );
  const run = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', config], { encoding: 'utf8' });
  process.stdout.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
  process.stdout.write(`# device code against the typings of the Moddable SDK ${sdk.version ?? ''} at ${sdk.root}\n`);
  process.stdout.write(`# lane: ${run.status === 0 ? '1 passed, 0 failed' : '0 passed, 1 failed'}\n`);
  process.exitCode = run.status === 0 ? 0 : 1;
}
