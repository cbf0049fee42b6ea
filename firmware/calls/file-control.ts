/**
 * The file a channel is recording, whichever control mode opened it: opens
 * and closes it as decisions, applies the minimum length, splits it at the
 * maximum length into linked parts, and keeps what a resumed file needs.
 */
import type { RecordingParams } from './channel-config.ts';
import type { CallType, StartMode, StopMode } from './call-types.ts';
import type { CallInfo, Decision } from './call-decisions.ts';

export interface OpenFile {
  info: CallInfo;
  callType: CallType;
  startMode: StartMode;
  part: number;
  startedAt: number;
  /** Opened for a call (closed when the call ends) rather than for the line (continuous, voice, forced). */
  forCall: boolean;
}

export class FileControl {
  private file: OpenFile | null = null;
  /** The last file closed by a line-card fault, to continue as its next part. */
  private interrupted: (OpenFile & { at: number }) | null = null;

  constructor(private params: RecordingParams) {}

  get current(): Readonly<OpenFile> | null {
    return this.file;
  }

  /** The wall clock was stepped by `stepMs`: the open file keeps its length so far (maximum and minimum length). */
  shiftTime(stepMs: number): void {
    if (this.file) this.file.startedAt += stepMs;
    if (this.interrupted) {
      this.interrupted.startedAt += stepMs;
      this.interrupted.at += stepMs;
    }
  }

  setParams(params: RecordingParams): void {
    this.params = params;
  }

  open(info: CallInfo, callType: CallType, startMode: StartMode, forCall: boolean, now: number, out: Decision[], part = 1): void {
    if (this.file) return;
    this.file = { info, callType, startMode, part, startedAt: now, forCall };
    out.push({ kind: 'start', call: { ...info }, callType, part, startMode, at: now });
  }

  close(stopMode: StopMode, now: number, out: Decision[], callType?: CallType): OpenFile | null {
    const f = this.file;
    if (!f) return null;
    this.file = null;
    // A continuation part is always kept: it belongs to a recording already long enough.
    const keep = f.part > 1 || now - f.startedAt >= this.params.minFileS * 1000;
    out.push({ kind: 'stop', stopMode, keep, at: now, ...(callType ? { callType } : {}) });
    if (stopMode === 'linecard-fault') this.interrupted = { ...f, at: now };
    return f;
  }

  /** Continues the file a line-card fault interrupted, if it was this one and recent enough. */
  resume(callId: string, withinMs: number, now: number, out: Decision[]): boolean {
    const f = this.interrupted;
    this.interrupted = null;
    if (!f || f.info.callId !== callId || now - f.at > withinMs) return false;
    this.open(f.info, f.callType, f.startMode, f.forCall, now, out, f.part + 1);
    return true;
  }

  /**
   * Splits or stops a file that reached the maximum length; the file it
   * stopped for good (到达最长录音文件停止录音), or null.
   */
  checkLength(now: number, out: Decision[], continuous: boolean): OpenFile | null {
    const f = this.file;
    if (!f || now - f.startedAt < this.params.maxFileS * 1000) return null;
    this.close('max-length', now, out);
    // The setting applies only to channels that do not record continuously; forced
    // recording (手控录音) also goes on until it is stopped by hand.
    if (!this.params.stopAtMaxFile || continuous || f.startMode === 'forced') {
      this.open(f.info, f.callType, f.startMode, f.forCall, now, out, f.part + 1);
      return null;
    }
    return f;
  }

  updateNumbers(remoteNumber: string, callerName: string): void {
    if (!this.file) return;
    this.file.info.remoteNumber = remoteNumber;
    this.file.info.callerName = callerName;
  }
}
