/**
 * A person at the maintenance console, for tests: a socat pseudo-terminal
 * pair (the box's end for the console, the terminal's end for the test),
 * keys typed one at a time with pauses, and the screen as the terminal shows
 * it (test/support/terminal-screen.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { TerminalScreen } from './terminal-screen.ts';
import { waitFor } from './processes.ts';

export const KEY = { up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', backspace: '\x7f', enter: '\r', ctrlC: '\x03', ctrlU: '\x15', tab: '\t' } as const;

export interface PtyPair {
  /** The box's end: the console's serial device. */
  boxEnd: string;
  /** The terminal's end. */
  terminalEnd: string;
  close(): void;
}

export async function ptyPair(dir: string): Promise<PtyPair> {
  const boxEnd = path.join(dir, 'console-box.pty');
  const terminalEnd = path.join(dir, 'console.pty');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${boxEnd}`, `pty,raw,echo=0,link=${terminalEnd}`], { stdio: 'ignore' });
  await waitFor('the pseudo-terminal pair', () => fs.existsSync(boxEnd) && fs.existsSync(terminalEnd), 10_000, 20);
  return { boxEnd, terminalEnd, close: () => socat.kill() };
}

export interface Terminal {
  screen: TerminalScreen;
  /** Everything received, as text. */
  received(): string;
  /** Types `text` one character (or one escape sequence) at a time, `pauseMs` apart. */
  type(text: string, pauseMs?: number): Promise<void>;
  /** Waits until the received text, after `from` characters, matches. */
  waitFor(pattern: RegExp | string, from?: number, timeoutMs?: number): Promise<string>;
  /** Waits until the cursor's line on the screen reads `line`. */
  waitForLine(line: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openTerminal(device: string): Promise<Terminal> {
  const port = new SerialPort({ path: device, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const screen = new TerminalScreen();
  let text = '';
  port.on('data', (chunk: Buffer) => {
    screen.write(chunk);
    text += chunk.toString('utf8');
  });
  const keysOf = (s: string) => s.match(/\x1b\[[0-9;]*[A-Za-z~]|[\s\S]/gu) ?? [];
  return {
    screen,
    received: () => text,
    async type(s, pauseMs = 12) {
      for (const k of keysOf(s)) {
        port.write(k);
        await pause(pauseMs);
      }
    },
    async waitFor(pattern, from = 0, timeoutMs = 15_000) {
      const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
      return waitFor(`${re} on the console (got: ${JSON.stringify(text.slice(from).slice(-400))})`, () => (re.test(text.slice(from)) ? text.slice(from) : null), timeoutMs, 20);
    },
    async waitForLine(line, timeoutMs = 15_000) {
      await waitFor(`the line ${JSON.stringify(line)} on the screen (it reads ${JSON.stringify(screen.current())})`, () => screen.current() === line, timeoutMs, 20);
    },
    close: () => new Promise<void>((resolve) => port.close(() => resolve())),
  };
}
