/**
 * Recordings (录音查询, 当日录音, 历史录音): search, details, audio with a
 * byte range (decrypted on the fly when sealed), signature checks (录音验证),
 * level, delete and restore, and purging the deleted.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { RecordLevel } from '../calls/call-types.ts';
import { RecorderError, isRecorderError } from '../errors.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { RecordIndex } from '../recording/record-index.ts';
import { queryRecords, type QueryResult, type RecordQuery } from '../recording/record-query.ts';
import type { RecordStore } from '../recording/record-store.ts';
import { streamRecords, type StreamQuery } from '../recording/record-stream.ts';
import { openRecordingReader, type RecordingReader } from '../recording/sealed-file.ts';
import { signatureOf } from '../recording/file-signature.ts';
import type { CustodyBox } from '../custody/custody-box.ts';
import type { RemoteCopies } from '../objectstore/remote-copies.ts';
import type { Auditor } from './audit.ts';
import { principalText, type Principal } from './principal.ts';
import { OPEN_ACCESS, type SeatAccess } from './seat-access.ts';
import { queryRecordsIn, streamRecordsIn } from '../recording/scoped-query.ts';
import { decodeRecord } from '../recording/record-codec.ts';
import { idOfParts } from '../recording/record-entry.ts';
import { refKey } from '../ports/channel-ref.ts';

export interface AudioRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface OpenedAudio {
  contentType: 'audio/wav' | 'audio/mpeg';
  fileName: string;
  /** Size of the whole file as played (plaintext). */
  size: number;
  /** The range served; the whole file when none was asked for. */
  range: AudioRange;
  partial: boolean;
  stream: Readable;
}

export interface VerifyResult {
  id: string;
  match: boolean;
  expected: string;
  actual: string | null;
  /** Why a sealed file could not even be read back (altered or truncated). */
  reason?: string;
  sizeBytes?: number;
  /** The recording's signed statement (docs/custody.md): absent when custody is not running. */
  custody?: CustodyVerdict;
}

/** What the signed statement says of the file checked. */
export type CustodyVerdict =
  | { signed: false }
  | {
      signed: true;
      seq: number;
      key: string;
      /** The statement's Ed25519 signature, 128 hex digits (the export's 签名 column). */
      signature: string;
      signatureValid: boolean;
      keyTrusted: boolean;
      /** The file's SHA-256 is the one the statement signs. */
      matchesStatement: boolean;
      chain: { inChain: boolean; offset: number; linkedBefore: boolean | null; linkedAfter: boolean | null };
    };

/** Largest upload checked against a signature: a 2-hour PCM recording. */
export const MAX_VERIFY_UPLOAD = 256 * 1024 * 1024;

export class RecordService {
  constructor(
    private readonly dataDir: string,
    private readonly index: RecordIndex,
    private readonly store: RecordStore,
    private readonly key: () => Buffer | null,
    private readonly audit: Auditor,
    private readonly custody: CustodyBox | null = null,
    /** What a seat may reach (search and metadata: its sync right; audio: its fetch right). */
    readonly access: SeatAccess = OPEN_ACCESS,
    /** Copies beyond the box (the object store), read when the box's file is gone. */
    private readonly remote: RemoteCopies | null = null,
  ) {}

  private async custodyVerdict(e: RecordEntry, actual: string | null): Promise<{ custody?: CustodyVerdict }> {
    if (!this.custody) return {};
    const c = await this.custody.checkStatement(e);
    if (!c) return { custody: { signed: false } };
    const s = c.statement.entry.statement;
    const signedSha = 'sha256' in s ? s.sha256 : null;
    const { inChain, offset, linkedBefore, linkedAfter } = c.position;
    return {
      custody: {
        signed: true, seq: c.statement.entry.seq, key: c.statement.entry.key, signature: c.statement.entry.sig, signatureValid: c.signatureValid, keyTrusted: c.keyTrusted,
        matchesStatement: actual !== null && actual === signedSha, chain: { inChain, offset, linkedBefore, linkedAfter },
      },
    };
  }

  /** A search, narrowed to the channels a seat may see. */
  search(principal: Principal, q: RecordQuery): Promise<QueryResult> {
    const scope = this.access.scope(principal, 'sync');
    return scope.all ? queryRecords(this.index, q) : queryRecordsIn(this.index, q, scope.refs);
  }

  /** Every match of a search, newest first, a page at a time (exports, batch downloads); no totals. */
  pages(principal: Principal, q: StreamQuery, pageSize?: number): AsyncGenerator<RecordEntry[]> {
    const scope = this.access.scope(principal, 'sync');
    return scope.all ? streamRecords(this.index, q, pageSize) : streamRecordsIn(this.index, q, scope.refs, pageSize);
  }

  /**
   * What changed in the index after `cursor` (the index's change feed), oldest
   * first, on the channels the principal's sync right reaches: each recording
   * once, at its latest change, with its entry, or null when it was deleted or
   * purged. `cursor` in the answer is where the next call continues.
   */
  async changes(principal: Principal, cursor: number, limit: number): Promise<{ items: { seq: number; id: string; entry: RecordEntry | null }[]; cursor: number; more: boolean }> {
    const scope = this.access.scope(principal, 'sync');
    const r = await this.index.changesSince(cursor, limit, (p) => scope.all || scope.keys.has(refKey(p)));
    return {
      items: r.items.map((i) => ({ seq: i.seq, id: idOfParts(i.parts), entry: i.live && i.value ? decodeRecord(i.value, { ...i.parts, deleted: false }) : null })),
      cursor: r.last,
      more: r.more,
    };
  }

  /** The change feed's latest sequence number. */
  get changeHead(): number {
    return this.index.feedHead;
  }

  /** One recording; a seat gets it only on a channel its sync right reaches. */
  async get(principal: Principal, id: string): Promise<RecordEntry> {
    const entry = await this.entry(id);
    this.access.check(principal, 'sync', entry);
    return entry;
  }

  private async entry(id: string): Promise<RecordEntry> {
    const entry = await this.index.get(id);
    if (!entry) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${id}`);
    return entry;
  }

  /**
   * The recording's audio, or a byte range of it (`range(size)` picks the
   * range once the size is known; it returns null for the whole file and
   * throws RANGE_NOT_SATISFIABLE for a range outside it).
   */
  async openAudio(principal: Principal, id: string, range?: (size: number) => AudioRange | null): Promise<OpenedAudio> {
    const { entry, reader } = await this.openFile(principal, id);
    const size = reader.size;
    let r: AudioRange | null;
    try {
      r = range ? range(size) : null;
    } catch (e) {
      await reader.close();
      throw e;
    }
    const served = r ?? { start: 0, end: size - 1 };
    const stream = reader.stream(served.start, served.end);
    stream.once('close', () => void reader.close().catch(() => undefined));
    return {
      contentType: entry.codec === 'mp3' ? 'audio/mpeg' : 'audio/wav',
      fileName: path.basename(entry.file!),
      size,
      range: served,
      partial: r !== null,
      stream,
    };
  }

  /**
   * A recording's entry and a reader of its file as downloaded (decrypted when
   * sealed): the one way to a recording's bytes. Close the reader when done.
   */
  async openFile(principal: Principal, id: string): Promise<{ entry: RecordEntry; reader: RecordingReader }> {
    const entry = await this.entry(id);
    this.access.check(principal, 'fetch', entry);
    if (!entry.file) throw new RecorderError('RECORD_FILE_MISSING', `recording ${entry.id} is a missed call without audio`);
    try {
      return { entry, reader: await openRecordingReader(path.join(this.dataDir, entry.file), this.key()) };
    } catch (e) {
      if (isRecorderError(e) && e.code !== 'RECORD_FILE_MISSING') throw e;
      const remote = await this.remote?.open(entry, this.key());
      if (remote) return remote;
      if (isRecorderError(e)) throw e;
      throw new RecorderError('RECORD_FILE_MISSING', `the file of recording ${entry.id} is missing`);
    }
  }

  /** Whether the file on disk still matches the signature taken when it was finished. */
  async verify(id: string): Promise<VerifyResult> {
    const e = await this.entry(id);
    if (!e.file || !e.sha256) throw new RecorderError('BAD_REQUEST', `recording ${e.id} has no signed file`);
    let actual: string;
    try {
      actual = await signatureOf(path.join(this.dataDir, e.file), this.key());
    } catch (err) {
      // A sealed file that fails authentication has been altered: that is the answer, not an error.
      if (isRecorderError(err) && (err.code === 'SEALED_FILE_DAMAGED' || err.code === 'SEALED_FILE_TRUNCATED')) {
        return { id: e.id, match: false, expected: e.sha256, actual: null, reason: err.code, ...(await this.custodyVerdict(e, null)) };
      }
      if (isRecorderError(err) && err.code !== 'RECORD_FILE_MISSING') throw err;
      throw new RecorderError('RECORD_FILE_MISSING', `the file of recording ${e.id} is missing`);
    }
    return { id: e.id, match: actual === e.sha256, expected: e.sha256, actual, ...(await this.custodyVerdict(e, actual)) };
  }

  /** Whether a file a user has (a download, a copy) is this recording, unaltered. */
  async verifyUpload(id: string, body: AsyncIterable<Uint8Array>): Promise<VerifyResult> {
    const e = await this.entry(id);
    if (!e.sha256) throw new RecorderError('BAD_REQUEST', `recording ${e.id} has no signature`);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > MAX_VERIFY_UPLOAD) throw new RecorderError('BAD_REQUEST', `the upload is larger than ${MAX_VERIFY_UPLOAD} bytes`);
      hash.update(chunk);
    }
    if (size === 0) throw new RecorderError('BAD_REQUEST', 'send the file to check as the request body');
    const actual = hash.digest('hex');
    return { id: e.id, match: actual === e.sha256, expected: e.sha256, actual, sizeBytes: size, ...(await this.custodyVerdict(e, actual)) };
  }

  setLevel(principal: Principal, id: string, level: RecordLevel): Promise<RecordEntry> {
    return this.audit.run(principal, { item: 'recording', operation: 'set', parameter: 'level', detail: `${id} → ${level}` }, () => this.store.setLevel(id, level, principalText(principal)));
  }

  /** Marks a recording deleted (删除): it leaves searches until restored or purged. */
  remove(principal: Principal, id: string): Promise<RecordEntry> {
    return this.audit.run(principal, { item: 'recording', operation: 'delete', detail: id }, () => this.store.markDeleted(id, true, principalText(principal)));
  }

  restore(principal: Principal, id: string): Promise<RecordEntry> {
    return this.audit.run(principal, { item: 'recording', operation: 'restore', detail: id }, () => this.store.markDeleted(id, false, principalText(principal)));
  }

  /** 清空已删除录音: removes the recordings marked deleted, files and entries. */
  purgeDeleted(principal: Principal): Promise<{ purged: number }> {
    return this.audit.run(
      principal, { item: 'recording', operation: 'purge', parameter: 'deleted' },
      async () => ({ purged: await this.store.purgeDeleted(principalText(principal)) }),
      (r) => `${r.purged} recordings purged`,
    );
  }
}
