/**
 * Bytes typed on the console (a terminal emulator on the RS232 line) into
 * keys: printable characters (UTF-8, decoded across chunks), Enter (CR, LF
 * or CRLF as one), Backspace (DEL or BS), Tab, the control keys the line
 * editor knows, and the arrow/Home/End/Delete escape sequences of VT100 and
 * xterm (CSI and SS3 forms). An escape sequence may arrive split over any
 * number of chunks. A sequence the console does not know is dropped whole;
 * a broken one (a control character or a non-ASCII byte inside it, or one
 * longer than any real key) is abandoned and the decoder resynchronises on
 * the byte that broke it. Pure: no I/O, no time.
 */
export type Key =
  | { kind: 'char'; text: string }
  | { kind: 'enter' }
  | { kind: 'backspace' }
  | { kind: 'delete' }
  | { kind: 'left' }
  | { kind: 'right' }
  | { kind: 'up' }
  | { kind: 'down' }
  | { kind: 'home' }
  | { kind: 'end' }
  | { kind: 'tab' }
  /** Ctrl-U: erase the line. */
  | { kind: 'kill-line' }
  /** Ctrl-C: abandon the line (or the question, or the command waiting). */
  | { kind: 'interrupt' }
  /** Ctrl-D on an empty line. */
  | { kind: 'eof' }
  /** Ctrl-L: redraw. */
  | { kind: 'redraw' };

const ESC = 0x1b;
/** Longest CSI parameter run kept; real keys use a few bytes, a longer run is dropped up to its final byte. */
const MAX_SEQUENCE = 16;

const CONTROL_KEYS: Record<number, Key> = {
  0x01: { kind: 'home' }, // Ctrl-A
  0x03: { kind: 'interrupt' },
  0x04: { kind: 'eof' },
  0x05: { kind: 'end' }, // Ctrl-E
  0x08: { kind: 'backspace' },
  0x09: { kind: 'tab' },
  0x0c: { kind: 'redraw' },
  0x15: { kind: 'kill-line' },
  0x7f: { kind: 'backspace' },
};

const FINAL_KEYS: Record<string, Key> = {
  A: { kind: 'up' },
  B: { kind: 'down' },
  C: { kind: 'right' },
  D: { kind: 'left' },
  H: { kind: 'home' },
  F: { kind: 'end' },
};

/** `ESC [ n ~` keys (VT220 and xterm). */
const TILDE_KEYS: Record<string, Key> = {
  '1': { kind: 'home' },
  '7': { kind: 'home' },
  '4': { kind: 'end' },
  '8': { kind: 'end' },
  '3': { kind: 'delete' },
};

type State = { kind: 'ground' } | { kind: 'escape' } | { kind: 'csi'; body: string; overlong?: boolean } | { kind: 'ss3' };

export class KeyDecoder {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: false });
  private state: State = { kind: 'ground' };
  private afterCr = false;
  /** Bytes dropped as garbage (unknown or broken sequences, invalid UTF-8, stray controls). */
  dropped = 0;

  push(chunk: Uint8Array): Key[] {
    const keys: Key[] = [];
    for (const ch of this.utf8.decode(chunk, { stream: true })) this.step(ch, keys);
    return keys;
  }

  private step(ch: string, keys: Key[]): void {
    const code = ch.codePointAt(0)!;
    const s = this.state;
    switch (s.kind) {
      case 'ground':
        return this.ground(ch, code, keys);
      case 'escape':
        if (ch === '[') this.state = { kind: 'csi', body: '' };
        else if (ch === 'O') this.state = { kind: 'ss3' };
        else if (code === ESC) this.dropped += 1; // ESC ESC: the first is dropped
        else {
          // ESC before a key the console does not bind (Alt-key): the key stands alone.
          this.dropped += 1;
          this.state = { kind: 'ground' };
          this.ground(ch, code, keys);
        }
        return;
      case 'ss3': {
        this.state = { kind: 'ground' };
        const key = FINAL_KEYS[ch];
        if (key) keys.push(key);
        else if (code < 0x20 || code > 0x7e) this.resync(ch, code, keys, 2);
        else this.dropped += 3;
        return;
      }
      case 'csi':
        return this.csi(s, ch, code, keys);
    }
  }

  private csi(s: { body: string; overlong?: boolean }, ch: string, code: number, keys: Key[]): void {
    if (code >= 0x20 && code <= 0x3f) {
      // An over-long run is no key: its bytes are counted and not kept, up to its final byte.
      if (s.body.length >= MAX_SEQUENCE) s.overlong = true;
      if (s.overlong) this.dropped += 1;
      else s.body += ch;
      return;
    }
    if (code >= 0x40 && code <= 0x7e) {
      this.state = { kind: 'ground' };
      const known = !s.overlong;
      const key = !known ? undefined : ch === '~' ? TILDE_KEYS[s.body] : /^(1(;\d+)?)?$/.test(s.body) ? FINAL_KEYS[ch] : undefined;
      if (key) keys.push(key);
      else this.dropped += s.body.length + 3;
      return;
    }
    this.resync(ch, code, keys, s.body.length + 2);
  }

  /** A byte that cannot belong to the sequence: the sequence is dropped, the byte read afresh. */
  private resync(ch: string, code: number, keys: Key[], droppedBytes: number): void {
    this.dropped += droppedBytes;
    this.state = { kind: 'ground' };
    this.ground(ch, code, keys);
  }

  private ground(ch: string, code: number, keys: Key[]): void {
    const afterCr = this.afterCr;
    this.afterCr = false;
    if (code === 0x0d) {
      this.afterCr = true;
      keys.push({ kind: 'enter' });
    } else if (code === 0x0a) {
      if (!afterCr) keys.push({ kind: 'enter' });
    } else if (code === 0x00 && afterCr) {
      this.afterCr = true; // CR NUL, as some terminals send Enter
    } else if (code === ESC) {
      this.state = { kind: 'escape' };
    } else if (CONTROL_KEYS[code]) {
      keys.push(CONTROL_KEYS[code]);
    } else if (printable(code)) {
      keys.push({ kind: 'char', text: ch });
    } else {
      this.dropped += 1;
    }
  }
}

function printable(code: number): boolean {
  if (code < 0x20 || code === 0x7f) return false;
  if (code >= 0x80 && code < 0xa0) return false; // C1 controls
  return code !== 0xfffd; // invalid UTF-8 decodes to the replacement character
}
