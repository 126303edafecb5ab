/**
 * Outside programs some tools and tests use when they are installed (sox, espeak-ng, tmux,
 * multimon-ng, the spandsp headers): whether one is here, found the way the shell would find it.
 * `RINGDOWN_WITHOUT=sox,espeak-ng,...` pretends the named ones are missing (to try "Node alone" on
 * a machine that has them).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const found = new Map<string, boolean>();

/** The tools RINGDOWN_WITHOUT names. */
function pretendMissing(): Set<string> {
  return new Set(
    (process.env.RINGDOWN_WITHOUT ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

function onPath(command: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      try {
        accessSync(join(dir, command + ext), constants.X_OK);
        return true;
      } catch {
        /* not here */
      }
    }
  }
  return false;
}

/** True when `tool` can be used: a command on the PATH, or for `spandsp` its C headers. */
export function hasTool(tool: string): boolean {
  if (pretendMissing().has(tool)) return false;
  const key = `${tool}\0${process.env.PATH ?? ''}`;
  let here = found.get(key);
  if (here === undefined) {
    here =
      tool === 'spandsp'
        ? [
            '/usr/include/spandsp/dtmf.h',
            '/usr/local/include/spandsp/dtmf.h',
            '/opt/homebrew/include/spandsp/dtmf.h',
          ].some((f) => existsSync(f))
        : onPath(tool);
    found.set(key, here);
  }
  return here;
}
