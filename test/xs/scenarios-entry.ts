/**
 * XS side of the XS lane: runs every scenario on the XS engine and sends each trace (or the error
 * it threw) back to the Node runner through `issueCommand`, one JSON message per scenario, so the
 * runner compares them with the same `firstDifference` the Node suite uses. The menu files reach
 * XS (which has no file system) as `globalThis.RINGDOWN_MENUS`, injected by the runner.
 */
import { SCENARIOS } from '../scenarios/table.js';
import { runScenario } from '../scenarios/scenario.js';

declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;
declare const globalThis: { RINGDOWN_MENUS?: Readonly<Record<string, string>> };

function send(message: object): void {
  const bytes = new TextEncoder().encode(JSON.stringify(message));
  issueCommand(bytes.buffer as ArrayBuffer);
}

const menus = globalThis.RINGDOWN_MENUS ?? {};
SCENARIOS.forEach((scenario, index) => {
  const text = menus[scenario.menu];
  if (text === undefined) {
    send({ index, error: `menu ${scenario.menu} was not injected` });
    return;
  }
  try {
    send({ index, trace: runScenario(scenario, text) });
  } catch (error) {
    send({ index, error: String(error) });
  }
});
send({ done: SCENARIOS.length });
