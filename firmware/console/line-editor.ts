/**
 * The console's line editor: keys in, the text to send back to the
 * terminal and what the line came to out. It inserts and erases at the
 * cursor, moves left and right (Home, End), erases the line (Ctrl-U),
 * recalls earlier lines (up and down; the line being typed is kept), and
 * completes the word under the cursor with Tab through a completer. In
 * `hidden` mode (passwords) nothing is echoed, history is neither read nor
 * written, and Tab is ignored. Output uses only CR, LF, BS, `ESC [ n C|D`
 * and `ESC [ K`, which every terminal emulator on a serial line knows.
 * Pure: no I/O, no time.
 */
import type { Key } from './key-decoder.ts';
import { textWidth } from './text-width.ts';

export type EchoMode = 'visible' | 'hidden';

/** Candidates for the word before the cursor; `words` are the line's earlier words. */
export type Completer = (words: readonly string[], partial: string) => readonly string[];

export type EditorAction = { kind: 'submit'; line: string } | { kind: 'interrupt' } | { kind: 'eof' };

export interface EditorResult {
  /** Bytes for the terminal (may be empty). */
  output: string;
  action?: EditorAction;
}

export const HISTORY_SIZE = 50;
/** A line longer than this is not extended (a console command is short; this bounds memory). */
export const MAX_LINE = 1024;

const CRLF = '\r\n';
const left = (n: number) => (n > 0 ? `\x1b[${n}D` : '');
const right = (n: number) => (n > 0 ? `\x1b[${n}C` : '');
const ERASE_TO_END = '\x1b[K';

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private prompt = '';
  private mode: EchoMode = 'visible';
  private remember = true;
  private readonly history: string[] = [];
  /** Position in history while recalling; history.length means the line being typed. */
  private recall = 0;
  private draft: string[] = [];

  constructor(private readonly completer: Completer = () => []) {}

  /**
   * Starts a new line after `prompt`; returns the prompt to write. A line
   * is kept in the history when `remember` (commands, not the answers to
   * a command's questions; never a hidden line).
   */
  start(prompt: string, mode: EchoMode = 'visible', remember = mode === 'visible'): string {
    this.prompt = prompt;
    this.mode = mode;
    this.remember = remember && mode === 'visible';
    this.chars = [];
    this.cursor = 0;
    this.recall = this.history.length;
    this.draft = [];
    return prompt;
  }

  get line(): string {
    return this.chars.join('');
  }

  /** Earlier lines, oldest first. */
  get lines(): readonly string[] {
    return this.history;
  }

  /** The prompt and the line as typed so far, for writing again after other output. */
  redraw(): string {
    const shown = this.mode === 'visible' ? this.line : '';
    const back = this.mode === 'visible' ? textWidth(this.chars.slice(this.cursor).join('')) : 0;
    return `\r${ERASE_TO_END}${this.prompt}${shown}${left(back)}`;
  }

  handle(key: Key): EditorResult {
    const hidden = this.mode === 'hidden';
    switch (key.kind) {
      case 'char':
        return { output: this.insert([...key.text]) };
      case 'enter': {
        const line = this.line;
        if (this.remember && line.trim() && this.history[this.history.length - 1] !== line) {
          this.history.push(line);
          if (this.history.length > HISTORY_SIZE) this.history.shift();
        }
        this.chars = [];
        this.cursor = 0;
        return { output: CRLF, action: { kind: 'submit', line } };
      }
      case 'backspace':
        if (this.cursor === 0) return { output: '' };
        return { output: this.eraseAt(this.cursor - 1, true) };
      case 'delete':
        if (this.cursor >= this.chars.length) return { output: '' };
        return { output: this.eraseAt(this.cursor, false) };
      case 'left':
        return { output: this.moveTo(this.cursor - 1) };
      case 'right':
        return { output: this.moveTo(this.cursor + 1) };
      case 'home':
        return { output: this.moveTo(0) };
      case 'end':
        return { output: this.moveTo(this.chars.length) };
      case 'up':
        return { output: this.remember ? this.recallLine(this.recall - 1) : '' };
      case 'down':
        return { output: this.remember ? this.recallLine(this.recall + 1) : '' };
      case 'kill-line':
        return { output: this.replace([]) };
      case 'tab':
        return { output: hidden ? '' : this.complete() };
      case 'interrupt':
        this.chars = [];
        this.cursor = 0;
        return { output: `^C${CRLF}`, action: { kind: 'interrupt' } };
      case 'eof':
        return this.chars.length === 0 ? { output: CRLF, action: { kind: 'eof' } } : { output: '' };
      case 'redraw':
        return { output: this.redraw() };
    }
  }

  private echo(text: string): string {
    return this.mode === 'visible' ? text : '';
  }

  private insert(text: string[]): string {
    const room = MAX_LINE - this.chars.length;
    if (room <= 0) return '\x07';
    const add = text.slice(0, room);
    this.chars.splice(this.cursor, 0, ...add);
    this.cursor += add.length;
    const rest = this.chars.slice(this.cursor).join('');
    return this.echo(add.join('') + rest + left(textWidth(rest)));
  }

  private eraseAt(index: number, movesCursor: boolean): string {
    const [gone] = this.chars.splice(index, 1);
    const back = movesCursor ? left(textWidth(gone!)) : '';
    this.cursor = index;
    const rest = this.chars.slice(index).join('');
    return this.echo(`${back}${ERASE_TO_END}${rest}${left(textWidth(rest))}`);
  }

  private moveTo(target: number): string {
    const to = Math.max(0, Math.min(this.chars.length, target));
    const from = this.cursor;
    this.cursor = to;
    if (to === from) return '';
    const between = this.chars.slice(Math.min(from, to), Math.max(from, to)).join('');
    return this.echo(to < from ? left(textWidth(between)) : right(textWidth(between)));
  }

  /** Replaces the whole line, cursor at its end. */
  private replace(next: string[]): string {
    const before = textWidth(this.chars.slice(0, this.cursor).join(''));
    this.chars = next;
    this.cursor = next.length;
    return this.echo(`${left(before)}${ERASE_TO_END}${next.join('')}`);
  }

  private recallLine(target: number): string {
    if (target < 0 || target > this.history.length || target === this.recall) return '';
    if (this.recall === this.history.length) this.draft = this.chars;
    this.recall = target;
    return this.replace(target === this.history.length ? [...this.draft] : [...this.history[target]!]);
  }

  private complete(): string {
    const before = this.chars.slice(0, this.cursor).join('');
    const words = before.split(/\s+/);
    const partial = words.pop() ?? '';
    const candidates = this.completer(words.filter((w) => w !== ''), partial).filter((c) => c.startsWith(partial));
    if (candidates.length === 0) return '\x07';
    if (candidates.length === 1) {
      const atEnd = this.cursor === this.chars.length;
      return this.insert([...candidates[0]!.slice(partial.length), ...(atEnd ? [' '] : [])]);
    }
    const common = commonPrefix(candidates);
    if (common.length > partial.length) return this.insert([...common.slice(partial.length)]);
    return `${CRLF}${[...candidates].sort().join('  ')}${CRLF}${this.redraw()}`;
  }
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
