import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { ConfigReadError } from './read-file';

/**
 * Most aliases one document may expand. The examples use none; the cap stops
 * an alias bomb (each alias expanding to a list of aliases) from filling memory.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses config text into plain data. Problems are one line and never quote the
 * file: a file that is not YAML may be anything (a password file, a key).
 *
 * Duplicate keys are found here with one Set per mapping: the yaml library's own
 * `uniqueKeys` compares each new key with every earlier one, which is quadratic
 * (a 940 KB file of 40,000 tags took 15 s to parse; 3 MB would take minutes).
 */
export function parseConfigText(text: string): Record<string, unknown> {
  let value: unknown;
  const line = lineOf(text);
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, merge: false });
    const [first] = doc.errors;
    if (first) {
      const where = ` at line ${line(first.pos[0])}`;
      throw new ConfigReadError(`not valid YAML${where}: ${summarize(first.message)} (${first.code})`);
    }
    if (doc.contents) checkDuplicateKeys(doc.contents as Node, line);
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ConfigReadError) throw error;
    if (error instanceof RangeError) throw new ConfigReadError('not valid YAML: nested too deeply');
    // The library's messages for aliases name the anchor only, never the content.
    const message = error instanceof Error ? summarize(error.message) : 'unreadable';
    throw new ConfigReadError(`not valid YAML: ${message}`);
  }
  if (value === null || value === undefined) throw new ConfigReadError('the file is empty; a config is a YAML mapping of fields (name, mode, environments, ...)');
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigReadError(`not a YAML mapping: the top level is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}; a config is a mapping of fields (name, mode, environments, ...)`);
  }
  return value as Record<string, unknown>;
}

/** Every key once per mapping, in one pass: refuses the second occurrence by name and line. */
function checkDuplicateKeys(root: Node, line: (offset: number) => number): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          const name = String(key.value);
          if (seen.has(name)) {
            const at = key.range ? ` at line ${line(key.range[0])}` : '';
            throw new ConfigReadError(`duplicate key ${JSON.stringify(clip(name))}${at}; each key may appear once in a mapping`);
          }
          seen.add(name);
        } else if (key !== null && !isAlias(key)) {
          throw new ConfigReadError('not a config: a mapping key is itself a list or mapping; keys are plain names');
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
}

/** Line numbers from offsets, computed once per file. */
function lineOf(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The library's message without anything it quotes from the source. */
function summarize(message: string): string {
  const firstLine = message.split('\n')[0] ?? '';
  return clip(firstLine.replace(/\s+at line \d+, column \d+.*$/, '').replace(/(["'`]).*?\1/g, '…').replace(/:\s.*$/, ''), 120);
}

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
