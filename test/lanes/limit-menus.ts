/**
 * Menus at the loader's limits (src/ozml/limits.ts), for the stack and heap checks of the device
 * build: the deepest nesting the loader accepts, and the largest document (elements, commands and
 * characters all near their limits) built of such deep chains. Pure: the XS lane bundles it too.
 */
import { DEFAULT_LIMITS, type MenuLimits } from '../../src/ozml/limits.js';

/** One chain of UserInputs, each inside the previous one's `<Input>`, `levels` elements deep below
 * `depthAbove` (the elements already open around it). */
function chain(depthAbove: number, levels: number, tag: string): string {
  const remaining = levels - depthAbove;
  // UserInput > Inputs > Input > (next UserInput): three levels per step; the innermost
  // UserInput needs two more (InitialCommands > Speak).
  if (remaining >= 6) {
    return `<UserInput timeout="1"><InitialCommands><Speak>${tag} level ${depthAbove + 1}</Speak></InitialCommands><Inputs><Input key="1">${chain(depthAbove + 3, levels, tag)}</Input><Input key="2"><Hangup/></Input></Inputs></UserInput>`;
  }
  if (remaining >= 3)
    return `<UserInput timeout="1"><InitialCommands><Speak>${tag} deepest</Speak></InitialCommands></UserInput>`;
  if (remaining >= 2) return `<Delay>0.1</Delay>`;
  return '';
}

/** The deepest menu the limits allow: one chain reaching exactly `maxDepth` elements. */
export function deepestMenu(limits: MenuLimits = DEFAULT_LIMITS, depth = limits.maxDepth): string {
  return `<?xml version="1.0"?>\n<Response>${chain(1, depth, 'deep')}<Hangup/></Response>\n`;
}

/** As many deepest chains as fit the element, command and character limits together. */
export function largestMenu(limits: MenuLimits = DEFAULT_LIMITS): string {
  const one = chain(1, limits.maxDepth, 'wide');
  const elements = (one.match(/<[A-Za-z]/g) ?? []).length;
  const commands = (one.match(/<(Speak|UserInput|Hangup|Delay)\b/g) ?? []).length;
  const copies = Math.min(
    Math.floor((limits.maxElements - 2) / elements),
    Math.floor((limits.maxCommands - 1) / commands),
    Math.floor((limits.maxChars - 200) / one.length),
  );
  // Then every chain's Speak texts grow until the document reaches the character limit.
  const speaks = (one.match(/<Speak>/g) ?? []).length;
  const spare = limits.maxChars - 200 - copies * (one.length + 1);
  const pad = Math.min(limits.maxTextChars - 40, Math.floor(spare / (copies * speaks)));
  const padded = chain(1, limits.maxDepth, `wide ${'a'.repeat(Math.max(0, pad))}`);
  return `<?xml version="1.0"?>\n<Response>\n${Array.from({ length: copies }, () => padded).join('\n')}\n<Hangup/></Response>\n`;
}
