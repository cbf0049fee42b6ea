/**
 * A console command line into words: words are separated by spaces and tabs;
 * "double quotes" keep spaces and take `\"` and `\\` escapes; 'single
 * quotes' keep everything as typed; a backslash outside quotes takes the
 * next character as it is. `""` is an empty word. Pure.
 */
export type ParsedLine = { ok: true; words: string[] } | { ok: false; error: string };

export function parseCommandLine(line: string): ParsedLine {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (chars[i + 1] === '"' || chars[i + 1] === '\\')) word += chars[++i];
      else word += c;
    } else if (c === ' ' || c === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      if (i + 1 >= chars.length) return { ok: false, error: 'the line ends with a backslash' };
      word = (word ?? '') + chars[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return { ok: false, error: `a ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (word !== null) words.push(word);
  return { ok: true, words };
}

/** A word as it must be typed to come back unchanged (quoted when it holds spaces or quotes). */
export function quoteWord(word: string): string {
  if (word !== '' && !/[\s"'\\]/.test(word)) return word;
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
