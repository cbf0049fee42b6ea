/**
 * One open connection to a NAS target, whatever its protocol: folders made,
 * a file's size, an upload under a temporary name, the file read back for
 * its SHA-256, the temporary name moved over the final one. Failures are
 * `NasError`s whose kind the page and the alarm name (wrong credentials,
 * unreachable, full, refused).
 */
export type NasErrorKind = 'auth' | 'unreachable' | 'full' | 'denied' | 'protocol';

export class NasError extends Error {
  constructor(
    readonly kind: NasErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'NasError';
  }
}

/** What `kind` means on the page and in the alarm. */
export const NAS_ERROR_TEXT: Record<NasErrorKind, string> = {
  auth: 'wrong account or password',
  unreachable: 'the NAS cannot be reached',
  full: 'the NAS is full',
  denied: 'the NAS refused to write there',
  protocol: 'the NAS answered unexpectedly',
};

export interface NasConnection {
  /** Makes `dir` and its parents (paths are relative to the target's directory, `/`-separated). */
  ensureDir(dir: string): Promise<void>;
  /** The size of a file, or null when there is none. */
  size(file: string): Promise<number | null>;
  /** Copies the local file to `file` (replacing it), within the bandwidth limit. */
  upload(local: string, file: string, sizeBytes: number): Promise<void>;
  /** Reads `file` back and returns its SHA-256 (hex). */
  sha256(file: string): Promise<string>;
  /** Moves `from` to `to`, replacing `to`. */
  replace(from: string, to: string): Promise<void>;
  /** Removes a file; no error when it is not there. */
  remove(file: string): Promise<void>;
  /** Ends the session (the manual: the connection is closed when a backup ends). */
  close(): Promise<void>;
}

/** `a/b/c` → `a`, `a/b`, `a/b/c`. */
export function parentChain(dir: string): string[] {
  const parts = dir.split('/').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
