/**
 * A small terminal for tests: applies what the console writes (text, CR,
 * LF, BS, BEL, `ESC [ n C|D|K`) to a screen of lines with a cursor, so a
 * test reads what a person at the terminal would see. Wide characters take
 * two columns, as on a real terminal.
 */
import { charWidth } from '../../firmware/console/text-width.ts';

export class TerminalScreen {
  /** Lines of cells; a wide character's second cell is ''. */
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  private pending = '';
  bells = 0;

  write(data: string | Uint8Array): void {
    let text = this.pending + (typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    this.pending = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\x1b') {
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
        if (!m) {
          if (text.length - i < 8) {
            this.pending = text.slice(i);
            return;
          }
          continue;
        }
        this.escape(Number(m[1] || '1'), m[2]!);
        i += m[0].length - 1;
      } else if (c === '\r') this.col = 0;
      else if (c === '\n') {
        this.row += 1;
        while (this.rows.length <= this.row) this.rows.push([]);
      } else if (c === '\b') this.col = Math.max(0, this.col - 1);
      else if (c === '\x07') this.bells += 1;
      else this.put(c);
    }
    text = '';
  }

  private escape(n: number, op: string): void {
    const line = this.rows[this.row]!;
    if (op === 'D') this.col = Math.max(0, this.col - n);
    else if (op === 'C') this.col += n;
    else if (op === 'K') line.length = Math.min(line.length, this.col);
  }

  private put(c: string): void {
    const line = this.rows[this.row]!;
    while (line.length < this.col) line.push(' ');
    const w = charWidth(c.codePointAt(0)!);
    line[this.col] = c;
    if (w === 2) line[this.col + 1] = '';
    this.col += w;
  }

  /** The screen's lines, trailing spaces trimmed. */
  lines(): string[] {
    return this.rows.map((r) => r.join('').trimEnd());
  }

  /** The line the cursor is on. */
  current(): string {
    return this.rows[this.row]!.join('').trimEnd();
  }

  /** The cursor's column. */
  get cursor(): number {
    return this.col;
  }

  text(): string {
    return this.lines().join('\n');
  }
}
