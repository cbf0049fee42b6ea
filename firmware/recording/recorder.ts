/**
 * Records calls from any port. A caller opens a session for a call on a
 * channel reference — `open(ref, start) → {write(leg, samples), update(meta),
 * close(stopMode, keep)}` — with one leg (an analog line) or two (a trunk's
 * two directions, a VoIP call's two parties), written as a stereo WAV with
 * one party per channel or mixed to mono. Input blocks may be A-law, µ-law
 * or 16-bit PCM; the file is in the recording codec.
 *
 * While a file is open, a marker in `<data>/open/` holds its entry. Closing
 * a file goes, in order: the WAV synced to disk; the marker rewritten with the
 * final entry; signature and sealing (file-finisher.ts); a line in the
 * folder's sidecar; the index entry; the marker removed. A recorder killed at
 * any step is recovered at the next start (recovery.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CallDirection, CallType, RecordLevel, StartMode, StopMode } from '../calls/call-types.ts';
import { wavHeaderSize, type WavCodec } from '../audio/wav.ts';
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import type { RecordIndex } from './record-index.ts';
import { boundedOrigin, directionOf, recordId, type RecordEntry, type VoipOrigin } from './record-entry.ts';
import { OPEN_MARKER_DIR, recordingFile } from './recording-paths.ts';
import { WavWriter } from './wav-writer.ts';
import type { FileFinisher } from './file-finisher.ts';
import { appendEntry } from './sidecar.ts';
import { NO_CUSTODY, recordCustody, type CustodyLedger } from './custody-hook.ts';
import { LegAligner, interleave, mix, type AlignedFrames } from './leg-aligner.ts';
import { fromPcm, toPcm, type SampleCodec } from './sample-codec.ts';

export interface RecorderLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What a recording starts with. */
export interface SessionStart {
  callId: string;
  /** 1 for a call's first file; linked files of a long call count on. */
  part: number;
  callType: CallType;
  direction?: CallDirection;
  startMode: StartMode;
  lineNumber: string;
  localName?: string;
  remoteNumber: string;
  callerName: string;
  participants?: string;
  /** VoIP calls: the source's identity of the call (SIP Call-ID, session id, device, participants). */
  voip?: VoipOrigin;
  level: RecordLevel;
  at: number;
  /** 1: one party (an analog line); 2: two legs, leg 0 and leg 1. */
  legs?: 1 | 2;
  /** Two legs stored stereo or mixed to mono; the recorder's `twoLegLayout` when left out. */
  layout?: 'stereo' | 'mono';
}

/** What can change while a recording is open (numbers arrive digit by digit, SIP updates names). */
export type SessionUpdate = Partial<
  Pick<RecordEntry, 'lineNumber' | 'localName' | 'remoteNumber' | 'callerName' | 'participants' | 'callType' | 'direction' | 'level' | 'answered' | 'cause' | 'voip'>
>;

export interface RecordingSession {
  readonly ref: ChannelRef;
  /** The entry as it stands (numbers so far, no duration). */
  readonly entry: Readonly<RecordEntry>;
  readonly durationMs: number;
  readonly closed: boolean;
  /** A file is being written: false for a call the license does not let record, or one whose file could not be opened. */
  readonly writing: boolean;
  /** Appends a block of one leg's audio. */
  write(leg: 0 | 1, data: Uint8Array, codec: SampleCodec, now: number): void;
  /** Appends the first `count` 16-bit samples of `samples` to one leg (copied before it returns; no allocation per block). */
  writePcm(leg: 0 | 1, samples: Int16Array, count: number, now: number): void;
  update(change: SessionUpdate): void;
  /** Ends the file; `keep` false discards it (shorter than the minimum length). */
  close(stopMode: StopMode, keep: boolean, at: number, finalCallType?: CallType): void;
}

/** What the recorder tells the rest of the box (the application's event bus listens). */
export interface RecorderEvents {
  started(entry: RecordEntry): void;
  updated(entry: RecordEntry): void;
  stopped(entry: RecordEntry, kept: boolean): void;
  indexed(entry: RecordEntry): void;
}

export interface RecorderOptions {
  /** Two-leg calls: a stereo file (one party per channel) or mixed to mono. */
  twoLegLayout?: () => 'stereo' | 'mono';
  /** 免录名单: calls with these remote numbers are not kept. */
  doNotRecord?: (remoteNumber: string) => boolean;
  events?: Partial<RecorderEvents>;
  sampleRate?: number;
  /**
   * May a recording start on this channel now (the license and the trial);
   * `openOf` counts the recordings open on a port type. A refused call gets
   * a session that keeps nothing.
   */
  admit?: (ref: ChannelRef, openOf: (portType: ChannelRef['portType']) => number) => boolean;
  /** Signs a statement of each finished file into the custody chain. */
  custody?: CustodyLedger;
}

export class Recorder {
  private readonly open_ = new Map<string, Session>();
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private readonly codecOf: () => WavCodec;
  readonly stats = { started: 0, kept: 0, discarded: 0, missed: 0, notRecorded: 0, superseded: 0, writeErrors: 0, notLicensed: 0 };
  /** Closing and indexing jobs queued and finished so far (the watchdog's view of the recording path). */
  readonly jobs = { queued: 0, done: 0 };
  readonly sampleRate: number;

  constructor(
    readonly dataDir: string,
    private readonly index: RecordIndex,
    /** Codec of new files (a getter follows live settings). */
    codec: WavCodec | (() => WavCodec),
    private readonly finisher: FileFinisher,
    readonly log: RecorderLogger,
    readonly options: RecorderOptions = {},
  ) {
    this.codecOf = typeof codec === 'function' ? codec : () => codec;
    this.sampleRate = options.sampleRate ?? 8000;
    this.prepareFolders();
  }

  /** Creates the folder of open-recording markers (again, after a format). */
  prepareFolders(): void {
    fs.mkdirSync(path.join(this.dataDir, OPEN_MARKER_DIR), { recursive: true });
  }

  /** Codec of the files opened now. */
  get recordingCodec(): WavCodec {
    return this.codecOf();
  }

  /** The open recording of a channel, if any. */
  current(ref: ChannelRef): RecordingSession | null {
    return this.open_.get(refKey(ref)) ?? null;
  }

  /**
   * Opens a recording on a channel. A recording still open there is closed
   * first with the stop mode 'superseded' (新录音停止).
   */
  open(ref: ChannelRef, s: SessionStart): RecordingSession {
    const key = refKey(ref);
    if (this.options.admit && !this.options.admit(ref, (t) => this.openCount(t))) {
      this.stats.notLicensed++;
      this.log.info({ ref: key }, 'recording not started: not licensed (trial ended or channel beyond the license)');
      const id = recordId(s.at, ref, s.part);
      return new Session(this, { ...ref }, newEntry(ref, s, { id, part: s.part, callType: s.callType, startMode: s.startMode, durationMs: 0, file: null, codec: null, stereo: false }), s.legs ?? 1, this.codecOf());
    }
    const previous = this.open_.get(key);
    if (previous) {
      this.stats.superseded++;
      previous.close('superseded', true, s.at);
    }
    const id = recordId(s.at, ref, s.part);
    const codec = this.codecOf();
    const legs = s.legs ?? 1;
    const stereo = legs === 2 && (s.layout ?? this.options.twoLegLayout?.() ?? 'stereo') === 'stereo';
    const entry = newEntry(ref, s, {
      id, part: s.part, callType: s.callType, startMode: s.startMode, durationMs: 0,
      file: recordingFile(s.at, ref, id), codec, stereo,
    });
    const session = new Session(this, { ...ref }, entry, legs, codec);
    try {
      this.writeMarker(entry);
      session.writer = new WavWriter(path.join(this.dataDir, entry.file!), codec, this.sampleRate, s.at, stereo ? 2 : 1);
      this.stats.started++;
      this.log.info({ ref: key, id, callType: s.callType, part: s.part }, 'recording started');
    } catch (e) {
      this.stats.writeErrors++;
      this.removeMarker(id);
      this.log.error({ ref: key, id, err: (e as Error).message }, 'cannot start recording');
    }
    this.open_.set(key, session);
    this.options.events?.started?.({ ...entry });
    return session;
  }

  /** Recordings open now on a port type. */
  openCount(portType: ChannelRef['portType']): number {
    let n = 0;
    for (const session of this.open_.values()) if (session.ref.portType === portType) n++;
    return n;
  }

  /** An incoming call that rang unanswered (未接): an entry without audio. */
  missed(ref: ChannelRef, s: Omit<SessionStart, 'part' | 'callType' | 'startMode' | 'legs'> & { endedAt: number }): RecordEntry | null {
    const entry = newEntry(ref, { ...s, direction: s.direction ?? 'incoming' }, {
      id: recordId(s.at, ref, 'm'), part: 0, callType: 'incoming-missed', startMode: 'ring',
      durationMs: Math.max(0, s.endedAt - s.at), file: null, codec: null, stereo: false,
    });
    if (this.options.doNotRecord?.(entry.remoteNumber)) {
      this.stats.notRecorded++;
      return null;
    }
    this.stats.missed++;
    this.enqueue(async () => {
      await appendEntry(this.dataDir, entry);
      await this.index.put(entry);
      this.options.events?.indexed?.(entry);
    });
    return entry;
  }

  /** Flushes open files whose last flush is due (so a channel whose audio paused still reaches the disk). */
  flushAll(now: number): void {
    for (const s of this.open_.values()) s.flushIfDue(now);
  }

  /** Recordings open now, and closed ones waiting to be finished and indexed (processing info). */
  get queue(): { open: number; waitingToIndex: number } {
    return { open: this.open_.size, waitingToIndex: this.pendingWrites };
  }

  /** Resolves when the marker rewrites of the open recordings asked so far have landed. */
  async markersWritten(): Promise<void> {
    await Promise.all([...this.open_.values()].map((s) => s.markersWritten));
  }

  /** Resolves when every queued index write has completed. */
  drain(): Promise<void> {
    return this.writes;
  }

  // ------------------------------------------------------------ for sessions

  /** @internal */
  sessionClosed(s: Session): void {
    const key = refKey(s.ref);
    if (this.open_.get(key) === s) this.open_.delete(key);
  }

  /** @internal */
  finish(stopped: RecordEntry, closing: Promise<number>, headerBytes: number, markerWrites: Promise<void>): void {
    this.enqueue(async () => {
      // The file is durable before its index entry exists, and the marker goes last.
      const dataBytes = await closing;
      const closed: RecordEntry = { ...stopped, sizeBytes: dataBytes + headerBytes };
      await markerWrites;
      await this.rewriteMarker(closed);
      const final = await this.finisher.finish(closed);
      const statement = await recordCustody(this.options.custody ?? NO_CUSTODY, { kind: 'recorded', entry: final });
      await appendEntry(this.dataDir, final, statement);
      await this.index.put(final);
      await fs.promises.rm(this.markerFile(final.id), { force: true });
      this.log.info({ id: final.id, durationMs: final.durationMs, stopMode: final.stopMode }, 'recording indexed');
      this.options.events?.indexed?.(final);
    });
  }

  /** @internal */
  writeError(id: string, e: unknown, what: string): void {
    this.stats.writeErrors++;
    if ((this.stats.writeErrors & (this.stats.writeErrors - 1)) === 0) this.log.error({ id, err: (e as Error).message }, what);
  }

  private enqueue(job: () => Promise<void>): void {
    this.jobs.queued++;
    this.pendingWrites++;
    this.writes = this.writes
      .then(job)
      .catch((e: unknown) => {
        this.stats.writeErrors++;
        this.log.error({ err: (e as Error).message }, 'index write failed; the marker stays for recovery');
      })
      .finally(() => {
        this.jobs.done++;
        this.pendingWrites--;
      });
  }

  private markerFile(id: string): string {
    return path.join(this.dataDir, OPEN_MARKER_DIR, `${id}.json`);
  }

  /** @internal The marker of a recording being opened: written before its file exists. */
  writeMarker(entry: RecordEntry): void {
    const file = this.markerFile(entry.id);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    fs.renameSync(`${file}.tmp`, file);
  }

  /**
   * @internal The marker of an open recording rewritten with its latest fields,
   * off the event loop; a session chains its rewrites so the last one lands last.
   */
  async rewriteMarker(entry: RecordEntry): Promise<void> {
    const file = this.markerFile(entry.id);
    await fs.promises.writeFile(`${file}.tmp`, JSON.stringify(entry));
    await fs.promises.rename(`${file}.tmp`, file);
  }

  /** @internal */
  removeMarker(id: string): void {
    fs.rmSync(this.markerFile(id), { force: true });
  }

  /** @internal Removes the marker once the rewrites queued before have landed. */
  removeMarkerAfter(markerWrites: Promise<void>, id: string): void {
    this.enqueue(async () => {
      await markerWrites;
      await fs.promises.rm(this.markerFile(id), { force: true });
    });
  }
}

/** A new entry of a channel: what the start says, and what this recording is (id, file, codec...). */
function newEntry(
  ref: ChannelRef,
  s: Omit<SessionStart, 'part' | 'callType' | 'startMode' | 'legs' | 'layout'>,
  own: Pick<RecordEntry, 'id' | 'part' | 'callType' | 'startMode' | 'durationMs' | 'file' | 'codec' | 'stereo'>,
): RecordEntry {
  return {
    ...own,
    callId: s.callId,
    portType: ref.portType,
    port: ref.port,
    channel: ref.channel,
    lineNumber: s.lineNumber,
    localName: s.localName ?? '',
    remoteNumber: s.remoteNumber,
    callerName: s.callerName,
    direction: s.direction ?? directionOf(own.callType),
    participants: s.participants ?? '',
    ...(s.voip ? { voip: boundedOrigin(s.voip) } : {}),
    startedAt: s.at,
    stopMode: null,
    level: s.level,
    sizeBytes: 0,
    archived: false,
    sealed: false,
    sha256: null,
    deleted: false,
  };
}

class Session implements RecordingSession {
  writer: WavWriter | null = null;
  private readonly aligner: LegAligner | null;
  private markerStale = false;
  /** The marker rewrites in flight, in order (each one's failure is logged and the chain goes on). */
  private markerWrites: Promise<void> = Promise.resolve();
  private isClosed = false;
  /** Reused for codec conversion of one-leg blocks (no allocation per block). */
  private pcm = new Int16Array(320);
  private bytes = new Uint8Array(320);
  /** Reused for a two-leg call's frames. */
  private frames = new Int16Array(640);

  constructor(
    private readonly recorder: Recorder,
    readonly ref: ChannelRef,
    readonly entry: RecordEntry,
    legs: 1 | 2,
    private readonly codec: WavCodec,
  ) {
    this.aligner = legs === 2 ? new LegAligner() : null;
  }

  get durationMs(): number {
    return this.writer?.durationMs ?? 0;
  }

  get writing(): boolean {
    return this.writer !== null && !this.isClosed;
  }

  get markersWritten(): Promise<void> {
    return this.markerWrites;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(leg: 0 | 1, data: Uint8Array, codec: SampleCodec, now: number): void {
    if (this.isClosed || !this.writer) return;
    try {
      if (!this.aligner) {
        this.writer.append(codec === this.codec ? data : this.convert(data, codec), now);
        return;
      }
      // The aligner copies what it is given.
      this.aligner.push(leg, toPcm(data, codec, this.scratchPcm(data.length)));
      const frames = this.aligner.take();
      if (frames) this.writeFrames(frames, now);
    } catch (e) {
      this.recorder.writeError(this.entry.id, e, 'recording write failed');
    }
  }

  writePcm(leg: 0 | 1, samples: Int16Array, count: number, now: number): void {
    if (this.isClosed || !this.writer) return;
    try {
      if (this.aligner) {
        this.aligner.push(leg, samples, count);
        const frames = this.aligner.take();
        if (frames) this.writeFrames(frames, now);
      } else {
        this.writer.appendPcm(samples, count, now);
      }
    } catch (e) {
      this.recorder.writeError(this.entry.id, e, 'recording write failed');
    }
  }

  private convert(data: Uint8Array, codec: SampleCodec): Uint8Array {
    const pcm = toPcm(data, codec, this.scratchPcm(data.length));
    if (this.bytes.length < pcm.length) this.bytes = new Uint8Array(pcm.length * 2);
    return fromPcm(pcm, this.codec, this.bytes);
  }

  private scratchPcm(bytes: number): Int16Array {
    if (this.pcm.length < bytes) this.pcm = new Int16Array(bytes * 2);
    return this.pcm;
  }

  /** Stereo frames (or both legs mixed to mono) encoded straight into the file's write buffer. */
  private writeFrames(f: AlignedFrames, now: number): void {
    const size = this.entry.stereo ? 2 * f.count : f.count;
    if (this.frames.length < size) this.frames = new Int16Array(size * 2);
    if (this.entry.stereo) interleave(f.a, f.b, f.count, this.frames);
    else mix(f.a, f.b, f.count, this.frames);
    this.writer!.appendPcm(this.frames, size, now);
  }

  update(change: SessionUpdate): void {
    if (this.isClosed) return;
    let changed = false;
    for (const [k, given] of Object.entries(change) as [keyof SessionUpdate, unknown][]) {
      const v = k === 'voip' && given ? boundedOrigin(given as VoipOrigin) : given;
      if (v === undefined || this.entry[k] === v) continue;
      if (k === 'voip' && JSON.stringify(this.entry.voip) === JSON.stringify(v)) continue;
      (this.entry as unknown as Record<string, unknown>)[k] = v;
      changed = true;
    }
    if (!changed) return;
    // The marker is rewritten at the next flush, not per digit.
    this.markerStale = true;
    this.recorder.options.events?.updated?.({ ...this.entry });
  }

  flushIfDue(now: number): void {
    if (!this.writer) return;
    try {
      this.writer.flushIfDue(now);
      if (this.markerStale) {
        this.markerStale = false;
        const rec = this.recorder;
        const snapshot: RecordEntry = { ...this.entry };
        this.markerWrites = this.markerWrites
          .then(() => rec.rewriteMarker(snapshot))
          .catch((e: unknown) => rec.writeError(snapshot.id, e, 'marker rewrite failed'));
      }
    } catch (e) {
      this.recorder.writeError(this.entry.id, e, 'recording flush failed');
    }
  }

  close(stopMode: StopMode, keep: boolean, at: number, finalCallType?: CallType): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.recorder.sessionClosed(this);
    const { entry, writer } = this;
    const rec = this.recorder;
    if (!writer) return; // never opened: the error was logged at the start
    if (this.aligner) {
      try {
        const rest = this.aligner.drain();
        if (rest) this.writeFrames(rest, at);
      } catch (e) {
        rec.writeError(entry.id, e, 'recording write failed');
      }
    }
    const stopped: RecordEntry = { ...entry, stopMode, durationMs: writer.durationMs, callType: finalCallType ?? entry.callType };
    const unwanted = rec.options.doNotRecord?.(entry.remoteNumber) ?? false;
    if (!keep || unwanted) {
      writer.discard();
      rec.removeMarkerAfter(this.markerWrites, entry.id);
      if (unwanted) {
        rec.stats.notRecorded++;
        rec.log.info({ id: entry.id }, 'recording of a number on the do-not-record list discarded');
      } else {
        rec.stats.discarded++;
        rec.log.info({ id: entry.id }, 'recording shorter than the minimum length discarded');
      }
      rec.options.events?.stopped?.(stopped, false);
      return;
    }
    let closing: Promise<number>;
    try {
      closing = writer.close(at);
      closing.catch(() => undefined); // awaited in order by finish(); failures are handled there
    } catch (e) {
      rec.stats.writeErrors++;
      rec.log.error({ id: entry.id, err: (e as Error).message }, 'cannot close recording; it is recovered at the next start');
      return;
    }
    rec.stats.kept++;
    rec.options.events?.stopped?.(stopped, true);
    rec.finish(stopped, closing, wavHeaderSize(writer.codec), this.markerWrites);
  }
}
