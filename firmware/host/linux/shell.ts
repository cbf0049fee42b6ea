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
import { execFile, type ExecFileException } from 'node:child_process';
import { constants } from 'node:os';
import type { Shell, ShellResult } from '../host.ts';

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
