/**
 * Downloading recordings (录音下载): one file as stored (decrypted when
 * sealed) under a name saying who called whom and when, or many in one zip
 * (下载录音: the recordings picked, or every one a search finds). The zip is
 * streamed as it is read: entries are stored, not deflated (audio does not
 * shrink), one file open at a time, and a slow client holds the reading
 * back instead of making the box buffer. Files are opened through the record
 * service, so only recordings of the index can be named.
 */
import type { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { RecorderError } from '../errors.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { StreamQuery } from '../recording/record-stream.ts';
import { UniqueNames, downloadName, localStamp } from './download-name.ts';
import type { Principal } from './principal.ts';
import type { AudioRange, OpenedAudio, RecordService } from './record-service.ts';

/** Recordings in one zip at most. */
export const MAX_ZIP_RECORDS = 1000;
const PROBLEMS_FILE = 'ERRORS.txt';

export interface ZipDownload {
  stream: Readable;
  fileName: string;
  /** Bytes of the whole zip, known before it is written (entries are stored). */
  size: number | null;
  /** Recordings in it. */
  count: number;
}

export class DownloadService {
  constructor(
    private readonly records: RecordService,
    private readonly now: () => number,
  ) {}

  /** One recording's file as stored (plaintext), or a byte range of it. */
  async file(principal: Principal, id: string, range?: (size: number) => AudioRange | null): Promise<OpenedAudio> {
    const entry = await this.records.get(principal, id);
    return { ...(await this.records.openAudio(principal, id, range)), fileName: downloadName(entry) };
  }

  /** The recordings with these ids (unknown ids are refused; missed calls have no file and are left out). */
  async zipOf(principal: Principal, ids: readonly string[]): Promise<ZipDownload> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_ZIP_RECORDS) throw tooMany(unique.length);
    const entries: RecordEntry[] = [];
    for (const id of unique) {
      const e = await this.records.get(principal, id);
      this.records.access.check(principal, 'fetch', e);
      entries.push(e);
    }
    return this.zip(principal, entries);
  }

  /** Every recording a search finds, newest first; refused when more than MAX_ZIP_RECORDS. */
  async zipOfSearch(principal: Principal, q: StreamQuery): Promise<ZipDownload> {
    const entries: RecordEntry[] = [];
    for await (const page of this.records.pages(principal, q)) {
      for (const e of page) if (e.file && this.records.access.reaches(principal, 'fetch', e)) entries.push(e);
      if (entries.length > MAX_ZIP_RECORDS) throw tooMany(`more than ${MAX_ZIP_RECORDS}`);
    }
    return this.zip(principal, entries);
  }

  private async zip(principal: Principal, all: RecordEntry[]): Promise<ZipDownload> {
    const entries = all.filter((e) => e.file);
    if (!entries.length) throw new RecorderError('BAD_REQUEST', 'none of these recordings has audio to download');
    const zip = new ZipFile();
    // yazl's output is a PassThrough (its typings say only ReadableStream).
    const out = zip.outputStream as PassThrough;
    const names = new UniqueNames();
    const problems: string[] = [];
    let current: Readable | null = null;
    let closed = false;
    // Errors reach the client as a cut-off download; later ones (after a cancel) have nowhere to go.
    out.on('error', () => undefined);
    zip.on('error', (e: Error) => out.destroy(e));
    out.once('close', () => {
      closed = true;
      current?.destroy();
    });
    let count = 0;
    for (const e of entries) {
      const name = downloadName(e);
      let size: number;
      try {
        const { reader } = await this.records.openFile(principal, e.id);
        size = reader.size;
        await reader.close();
      } catch (err) {
        problems.push(`${name} (${e.id}): ${(err as Error).message}`);
        continue;
      }
      count++;
      zip.addReadStreamLazy(names.take(name), { compress: false, size, mtime: new Date(e.startedAt) }, (cb) => {
        if (closed) return cb(new Error('download cancelled'), null as never);
        this.records.openAudio(principal, e.id).then(
          (opened) => {
            current = opened.stream;
            opened.stream.on('error', (err: Error) => out.destroy(err));
            if (closed) opened.stream.destroy();
            cb(null, opened.stream);
          },
          (err: unknown) => cb(err, null as never),
        );
      });
    }
    if (problems.length) zip.addBuffer(Buffer.from(`Recordings that could not be read:\n${problems.join('\n')}\n`, 'utf8'), names.take(PROBLEMS_FILE), { compress: false });
    let size: number | null = null;
    // Called at once: every entry's size is known and nothing is deflated.
    const sized = (total: number) => {
      size = total >= 0 ? total : null;
    };
    zip.end({ forceZip64Format: false, comment: '' }, sized as () => void);
    return { stream: out, fileName: `recordings-${localStamp(this.now())}.zip`, size, count };
  }
}

function tooMany(n: number | string): RecorderError {
  return new RecorderError('BAD_REQUEST', `${n} recordings asked for; at most ${MAX_ZIP_RECORDS} fit in one download: narrow the search`);
}
