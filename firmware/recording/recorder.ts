/**
 * Turns the call machines' start/stop decisions into WAV files and index
 * entries. While a file is open, a marker in `<data>/open/` holds its entry.
 * Closing a file goes, in order: the WAV synced to disk; the marker rewritten
 * with the final entry; signature and sealing (file-finisher.ts); a line in
 * the folder's sidecar; the index entry; the marker removed. A recorder
 * killed at any step is recovered at the next start (recovery.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Decision } from '../calls/call-machine.ts';
import type { RecordLevel } from '../calls/call-types.ts';
import { wavHeaderSize, type WavCodec } from '../audio/wav.ts';
import type { RecordIndex } from './record-index.ts';
import { recordId, withEntryDefaults, type RecordEntry } from './record-entry.ts';
import { analogRef } from '../ports/channel-ref.ts';
import { OPEN_MARKER_DIR, recordingFile } from './recording-paths.ts';
import { WavWriter } from './wav-writer.ts';
import type { FileFinisher } from './file-finisher.ts';
import { appendEntry } from './sidecar.ts';

export interface RecorderLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ChannelMeta {
  lineNumber: string;
  level: RecordLevel;
}

interface OpenRecording {
  entry: RecordEntry;
  writer: WavWriter;
  /** The entry changed since the marker was written (numbers arrive digit by digit). */
  markerStale: boolean;
}

type StartDecision = Extract<Decision, { kind: 'start' }>;
type StopDecision = Extract<Decision, { kind: 'stop' }>;
type MissedDecision = Extract<Decision, { kind: 'missed' }>;

export class Recorder {
  private readonly open = new Map<number, OpenRecording>();
  private writes: Promise<void> = Promise.resolve();
  readonly stats = { started: 0, kept: 0, discarded: 0, missed: 0, writeErrors: 0 };

  constructor(
    readonly dataDir: string,
    private readonly index: RecordIndex,
    private readonly codec: WavCodec,
    private readonly finisher: FileFinisher,
    private readonly log: RecorderLogger,
    private readonly sampleRate = 8000,
  ) {
    this.prepareFolders();
  }

  /** Creates the folder of open-recording markers (again, after a format). */
  prepareFolders(): void {
    fs.mkdirSync(path.join(this.dataDir, OPEN_MARKER_DIR), { recursive: true });
  }

  /** The open recording of a channel, if any. */
  current(channel: number): { entry: RecordEntry; durationMs: number } | null {
    const r = this.open.get(channel);
    return r ? { entry: r.entry, durationMs: r.writer.durationMs } : null;
  }

  get recordingCodec(): WavCodec {
    return this.codec;
  }

  start(channel: number, d: StartDecision, meta: ChannelMeta): void {
    if (this.open.has(channel)) this.stop(channel, { kind: 'stop', stopMode: 'hangup', keep: true, at: d.at });
    const id = recordId(d.at, analogRef(channel), d.part);
    const file = recordingFile(d.at, analogRef(channel), id);
    const entry: RecordEntry = withEntryDefaults({
      id,
      callId: d.call.callId,
      part: d.part,
      channel,
      portType: 'analog',
      lineNumber: meta.lineNumber,
      remoteNumber: d.call.remoteNumber,
      callerName: d.call.callerName,
      callType: d.callType,
      startedAt: d.at,
      durationMs: 0,
      startMode: d.startMode,
      stopMode: null,
      level: meta.level,
      file,
      sizeBytes: 0,
      codec: this.codec,
      archived: false,
      sealed: false,
      sha256: null,
      deleted: false,
    });
    try {
      this.writeMarker(entry);
      const writer = new WavWriter(path.join(this.dataDir, file), this.codec, this.sampleRate, d.at);
      this.open.set(channel, { entry, writer, markerStale: false });
      this.stats.started++;
      this.log.info({ channel, id, callType: d.callType, part: d.part }, 'recording started');
    } catch (e) {
      this.stats.writeErrors++;
      this.log.error({ channel, id, err: (e as Error).message }, 'cannot start recording');
    }
  }

  /** Appends audio already in the recording codec. */
  audio(channel: number, data: Uint8Array, now: number): void {
    const r = this.open.get(channel);
    if (!r) return;
    try {
      r.writer.append(data, now);
    } catch (e) {
      this.stats.writeErrors++;
      if ((this.stats.writeErrors & (this.stats.writeErrors - 1)) === 0) {
        this.log.error({ channel, id: r.entry.id, err: (e as Error).message }, 'recording write failed');
      }
    }
  }

  /** Updates the numbers; the marker is rewritten at the next flush, not per digit. */
  update(channel: number, remoteNumber: string, callerName: string): void {
    const r = this.open.get(channel);
    if (!r) return;
    r.entry.remoteNumber = remoteNumber;
    r.entry.callerName = callerName;
    r.markerStale = true;
  }

  /** Closes the channel's file; the index entry is written in the background (see drain()). */
  stop(channel: number, d: StopDecision): void {
    const r = this.open.get(channel);
    if (!r) return;
    this.open.delete(channel);
    const { entry, writer } = r;
    if (!d.keep) {
      writer.discard();
      this.removeMarker(entry.id);
      this.stats.discarded++;
      this.log.info({ channel, id: entry.id }, 'recording shorter than the minimum length discarded');
      return;
    }
    let closing: Promise<number>;
    try {
      closing = writer.close(d.at);
      closing.catch(() => undefined); // awaited in order below; failures are handled there
    } catch (e) {
      this.stats.writeErrors++;
      this.log.error({ channel, id: entry.id, err: (e as Error).message }, 'cannot close recording; it is recovered at the next start');
      return;
    }
    this.stats.kept++;
    const stopped = { ...entry, stopMode: d.stopMode, durationMs: writer.durationMs, callType: d.callType ?? entry.callType };
    this.enqueue(async () => {
      // The file is durable before its index entry exists, and the marker goes last.
      const dataBytes = await closing;
      const closed: RecordEntry = { ...stopped, sizeBytes: dataBytes + wavHeaderSize(writer.codec) };
      this.writeMarker(closed);
      const final = await this.finisher.finish(closed);
      appendEntry(this.dataDir, final);
      await this.index.put(final);
      this.removeMarker(final.id);
      this.log.info({ channel, id: final.id, durationMs: final.durationMs, stopMode: final.stopMode }, 'recording indexed');
    });
  }

  missed(channel: number, d: MissedDecision, meta: ChannelMeta): void {
    const entry: RecordEntry = withEntryDefaults({
      id: recordId(d.ringStartedAt, analogRef(channel), 'm'),
      callId: `${channel}-${d.ringStartedAt}`,
      part: 0,
      channel,
      portType: 'analog',
      lineNumber: meta.lineNumber,
      remoteNumber: d.remoteNumber,
      callerName: d.callerName,
      callType: 'incoming-missed',
      startedAt: d.ringStartedAt,
      durationMs: Math.max(0, d.ringEndedAt - d.ringStartedAt),
      startMode: 'ring',
      stopMode: null,
      level: meta.level,
      file: null,
      sizeBytes: 0,
      codec: null,
      archived: false,
      sealed: false,
      sha256: null,
      deleted: false,
    });
    this.stats.missed++;
    this.enqueue(async () => {
      appendEntry(this.dataDir, entry);
      await this.index.put(entry);
    });
  }

  /** Flushes open files whose last flush is due (so a channel whose audio paused still reaches the disk). */
  flushAll(now: number): void {
    for (const [channel, r] of this.open) {
      try {
        r.writer.flushIfDue(now);
        if (r.markerStale) {
          r.markerStale = false;
          this.writeMarker(r.entry);
        }
      } catch (e) {
        this.stats.writeErrors++;
        this.log.error({ channel, err: (e as Error).message }, 'recording flush failed');
      }
    }
  }

  /** Resolves when every queued index write has completed. */
  drain(): Promise<void> {
    return this.writes;
  }

  private enqueue(job: () => Promise<void>): void {
    this.writes = this.writes.then(job).catch((e: unknown) => {
      this.stats.writeErrors++;
      this.log.error({ err: (e as Error).message }, 'index write failed; the marker stays for recovery');
    });
  }

  private writeMarker(entry: RecordEntry): void {
    const file = path.join(this.dataDir, OPEN_MARKER_DIR, `${entry.id}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    fs.renameSync(`${file}.tmp`, file);
  }

  private removeMarker(id: string): void {
    fs.rmSync(path.join(this.dataDir, OPEN_MARKER_DIR, `${id}.json`), { force: true });
  }
}
