/**
 * The box's custody chain: `<data>/custody/chain.log`, beside the
 * recordings so a copy of the data folder carries it. Append-only, one
 * canonical JSON entry per line (statement.ts), each linked to the one
 * before by its hash, numbered and signed with the device key.
 *
 * `append` signs at once, in call order, and resolves when the entry is on
 * the disk; appends that arrive while a write is going are written together
 * with one fdatasync. A failure never reaches the caller: it resolves null,
 * the failure is reported (alarm), and the head is read back from the file
 * so the next entry links to what is really there. At open, a torn last
 * entry is cut off and logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SigningKey } from './key-material.ts';
import { recoverTail, type ChainHead } from './chain-tail.ts';
import { signEntry, type SignedEntry, type Statement } from './statement.ts';

export const CUSTODY_DIR = 'custody';
export const CHAIN_FILE = 'chain.log';

export function chainFileOf(dataDir: string): string {
  return path.join(dataDir, CUSTODY_DIR, CHAIN_FILE);
}

export interface LedgerReceipt extends SignedEntry {
  /** Byte offset of the line in the chain file. */
  offset: number;
}

export interface LedgerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LedgerHealth {
  /** A write failed; null when the last one succeeded. */
  failed(reason: string | null): void;
  /** The chain's end was damaged or torn at open. */
  damaged(reason: string): void;
}

interface Pending {
  signed: SignedEntry;
  offset: number;
  done: (r: LedgerReceipt | null) => void;
}

export class ChainLedger {
  private fd: number | null = null;
  private head: ChainHead | null = null;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** Bytes of the file written and synced: entries up to here are whole. */
  private durable = 0;
  readonly stats = { appended: 0, flushes: 0, failures: 0 };

  constructor(
    readonly dataDir: string,
    private signer: SigningKey,
    private readonly now: () => number,
    private readonly log: LedgerLogger,
    private readonly health: LedgerHealth = { failed() {}, damaged() {} },
  ) {}

  get file(): string {
    return chainFileOf(this.dataDir);
  }

  get key(): SigningKey {
    return this.signer;
  }

  /** The last entry written (or being written): sequence number and hash. */
  get position(): ChainHead | null {
    return this.head ? { ...this.head } : null;
  }

  /** Opens (or creates) the chain and finds its end; a new chain starts with `chain-started`. */
  async open(serial: string, reason: string): Promise<void> {
    this.close();
    try {
      this.openFile();
    } catch (e) {
      this.fail(e);
      return;
    }
    if (this.head!.seq < 0) await this.append({ kind: 'chain-started', serial, publicKey: this.signer.raw.toString('base64'), reason });
  }

  /** Starts a new chain after the data disk was erased. */
  async restart(serial: string, reason: string): Promise<void> {
    await this.flushing;
    await this.open(serial, reason);
  }

  private openFile(): void {
    const file = this.file;
    const fresh = !fs.existsSync(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644);
    try {
      const tail = recoverTail(fd);
      if (tail.tornBytes) this.log.warn({ file, bytes: tail.tornBytes }, 'custody chain: torn last entry cut off');
      if (tail.damaged) {
        this.log.error({ file, reason: tail.damaged }, 'custody chain: last entry is not a valid entry');
        this.health.damaged(`the last entry of the custody chain is not valid (${tail.damaged})`);
      }
      this.head = tail.head;
      this.durable = tail.head.size;
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
    this.fd = fd;
    if (fresh) {
      const dir = fs.openSync(path.dirname(file), 'r');
      try {
        fs.fsyncSync(dir);
      } finally {
        fs.closeSync(dir);
      }
    }
  }

  /** Signs and chains a statement; resolves with its place once durable, null when it could not be written. */
  append(statement: Statement): Promise<LedgerReceipt | null> {
    if (this.fd === null || this.head === null) {
      try {
        this.openFile();
      } catch (e) {
        this.fail(e);
        return Promise.resolve(null);
      }
    }
    const head = this.head!;
    let signed: SignedEntry;
    try {
      signed = signEntry(this.signer, { seq: head.seq + 1, prev: head.hash, time: this.now(), statement });
    } catch (e) {
      this.log.error({ err: (e as Error).message, kind: statement.kind }, 'custody statement not signed');
      return Promise.resolve(null);
    }
    const offset = head.size;
    this.head = { seq: signed.entry.seq, hash: signed.hash, size: offset + Buffer.byteLength(signed.line) + 1 };
    return new Promise((done) => {
      this.pending.push({ signed, offset, done });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Signs with a new key from now on (after the hand-over entry, signed by the old one, was appended). */
  useKey(next: SigningKey): void {
    this.signer = next;
  }

  /** Bytes of whole entries on the disk (a reader stops there, not in an entry being written). */
  get durableBytes(): number {
    return this.durable;
  }

  /** Resolves when every append so far is written (or has failed). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    this.head = null;
  }

  private async flushLoop(): Promise<void> {
    // Let appends of the same turn join the batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      await this.write(batch);
    }
    this.flushing = null;
  }

  private async write(batch: Pending[]): Promise<void> {
    const text = batch.map((p) => `${p.signed.line}\n`).join('');
    try {
      if (this.fd === null) throw new Error('the custody chain is not open');
      const fd = this.fd;
      const buf = Buffer.from(text, 'utf8');
      await new Promise<void>((resolve, reject) => fs.write(fd, buf, 0, buf.length, null, (e) => (e ? reject(e) : resolve())));
      await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
    } catch (e) {
      this.fail(e);
      for (const p of batch) p.done(null);
      // Entries signed after this batch link to it: they are dropped too, and the head read back.
      for (const p of this.pending) p.done(null);
      this.pending = [];
      this.reopenAfterFailure();
      return;
    }
    this.durable += Buffer.byteLength(text);
    this.stats.appended += batch.length;
    this.stats.flushes++;
    this.health.failed(null);
    for (const p of batch) p.done({ ...p.signed, offset: p.offset });
  }

  private reopenAfterFailure(): void {
    this.close();
    try {
      this.openFile();
    } catch {
      // tried again at the next append
    }
  }

  private fail(e: unknown): void {
    this.stats.failures++;
    const reason = (e as Error).message;
    this.log.error({ err: reason, file: this.file }, 'custody chain not written');
    this.health.failed(`custody chain not written: ${reason}`);
  }
}
