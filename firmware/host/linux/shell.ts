/**
 * Runs system tools (mount, gpioset, hwclock, ...) without a shell: the command
 * and each argument are passed to the program as they are, so nothing in them
 * is interpreted. A run never rejects; failures are reported in the result:
 *
 * - exit code as returned by the program;
 * - 124 when the timeout expired (the program is killed with SIGKILL);
 * - 128 + signal number when the program was killed by a signal;
 * - 127 when the program could not be started (not found, not executable).
 */
import { execFile, spawn, type ExecFileException } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Shell, ShellResult, ShellStream } from '../host.ts';

export const DEFAULT_SHELL_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export class LinuxShell implements Shell {
  constructor(private readonly defaultTimeoutMs = DEFAULT_SHELL_TIMEOUT_MS) {}

  run(command: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<ShellResult> {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise((resolve) => {
      execFile(
        command,
        args,
        { timeout, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', windowsHide: true },
        (error, stdout, stderr) => {
          resolve({ code: exitCode(error), stdout, stderr: error && !stderr ? error.message : stderr });
        },
      );
    });
  }

  /**
   * Runs a program and hands out its stdout and stderr lines as they come.
   * Lines wait in memory only as long as the reader is slower than the
   * program (ping writes one a second); the timeout and `kill` end it with SIGKILL.
   */
  stream(command: string, args: readonly string[], options: { timeoutMs?: number } = {}): ShellStream {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const lines = new LineQueue();
    let timedOut = false;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    let open = 2;
    const closed = () => {
      if (--open === 0) lines.end();
    };
    for (const s of [child.stdout, child.stderr]) {
      const rl = createInterface({ input: s, crlfDelay: Infinity });
      rl.on('line', (l) => lines.push(l.length > MAX_LINE ? l.slice(0, MAX_LINE) : l));
      rl.on('close', closed);
    }
    const done = new Promise<number>((resolve) => {
      child.on('error', (e) => {
        clearTimeout(timer);
        lines.push(e.message);
        lines.end();
        resolve(127);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) resolve(124);
        else if (signal) resolve(128 + (constants.signals[signal] ?? 0));
        else resolve(code ?? 1);
      });
    });
    return {
      lines,
      done,
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  }
}

const MAX_LINE = 4096;

/** Lines pushed by the program, read by one async iteration. */
class LineQueue implements AsyncIterable<string> {
  private readonly items: string[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  push(line: string): void {
    if (this.ended) return;
    this.items.push(line);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }
}

function exitCode(error: ExecFileException | null): number {
  if (!error) return 0;
  if (typeof error.code === 'number') return error.code;
  // A string code is a start-up failure (ENOENT, EACCES), except an oversized output.
  if (typeof error.code === 'string' && error.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 127;
  if (error.killed && error.code == null) return 124;
  if (error.signal) return 128 + (constants.signals[error.signal] ?? 0);
  return 1;
}
