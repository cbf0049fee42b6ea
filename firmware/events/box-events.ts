/**
 * What happens in the box, as the services publish it: channel state and
 * level, recordings started / updated / stopped / indexed, alarms, the
 * line-card link and the disk level. Every interface (web UI, console,
 * cloud seats) subscribes to these instead of polling.
 */
import type { ChannelState, CallType, StartMode, StopMode } from '../calls/call-types.ts';
import type { ChannelRef } from '../ports/channel-ref.ts';
import type { RecordEntry } from '../recording/record-entry.ts';

export interface ChannelStateEvent {
  type: 'channel.state';
  ref: ChannelRef;
  state: ChannelState;
  voltage: number;
  ringing: boolean;
  polarityReversed: boolean;
  remoteNumber: string;
  callerName: string;
  recording: boolean;
  at: number;
}

/** The channel's audio level (0..32767 peak-ish envelope), a few times a second while anyone listens. */
export interface ChannelLevelEvent {
  type: 'channel.level';
  ref: ChannelRef;
  level: number;
  at: number;
}

export interface RecordingStartedEvent {
  type: 'recording.started';
  ref: ChannelRef;
  id: string;
  callId: string;
  callType: CallType;
  startMode: StartMode;
  remoteNumber: string;
  at: number;
}

export interface RecordingUpdatedEvent {
  type: 'recording.updated';
  ref: ChannelRef;
  id: string;
  lineNumber: string;
  remoteNumber: string;
  callerName: string;
  at: number;
}

export interface RecordingStoppedEvent {
  type: 'recording.stopped';
  ref: ChannelRef;
  id: string;
  stopMode: StopMode;
  durationMs: number;
  /** False when the file was discarded (too short, or a number on the do-not-record list). */
  kept: boolean;
  at: number;
}

export interface RecordingIndexedEvent {
  type: 'recording.indexed';
  ref: ChannelRef;
  id: string;
  record: RecordEntry;
  at: number;
}

export interface AlarmRaisedEvent {
  type: 'alarm.raised';
  id: string;
  severity: 'critical' | 'major' | 'minor';
  area: string;
  message: string;
  count: number;
  at: number;
}

export interface AlarmClearedEvent {
  type: 'alarm.cleared';
  id: string;
  at: number;
}

export interface LinkEvent {
  type: 'linecard.up' | 'linecard.down';
  detail: string;
  at: number;
}

export interface DiskLevelEvent {
  type: 'disk.level';
  /** ok, HALF (below the reserve), FULL (above the alarm threshold), or no disk. */
  level: 'ok' | 'half' | 'full' | 'missing';
  usedPercent: number | null;
  at: number;
}

/** A VoIP call's status (VoIP录音状态): when it starts and ends, and every second while it lasts. */
export interface VoipSessionEvent {
  type: 'voip.session';
  id: string;
  ref: ChannelRef;
  state: 'active' | 'ended';
  source: 'phone' | 'siprec';
  /** The sending phone's MAC or the SRC's address. */
  device: string;
  peer: string | null;
  codec: string | null;
  localNumber: string;
  remoteNumber: string;
  packets: number;
  lost: number;
  jitterMs: number;
  durationMs: number;
  endReason: string | null;
  at: number;
}

/** A SIPREC session's SIP side: when it is answered, changes (re-INVITE, hold, resume) and ends. */
export interface SiprecSessionEvent {
  type: 'siprec.session';
  sipCallId: string;
  /** The VoIP call recording it (the id in voip.session events), once opened. */
  callId: string | null;
  /** The recording client (SRC), `address:port/transport`. */
  peer: string;
  state: 'setup' | 'recording' | 'paused' | 'ended';
  streams: Array<{ label: string; leg: 0 | 1 | 'mixed'; port: number; remote: { address: string; port: number } | null; codec: string }>;
  reason: string | null;
  at: number;
}

/** An E1 port's line alarms, slips and signalling, per side, when they change. */
export interface E1PortEvent {
  type: 'e1.port';
  port: number;
  state: 'disabled' | 'up' | 'alarm';
  sides: Record<'a' | 'b', { alarms: string[]; slips: number; crc4Errors: number; signalling: 'up' | 'down' | null }>;
  at: number;
}

/** A long device operation's progress (格式化, 系统升级): its stage and, when known, the per cent done. */
export interface DeviceProgressEvent {
  type: 'device.progress';
  operation: 'format' | 'upgrade';
  stage: string;
  percent: number | null;
  /** Set on the last event of a failed operation: its error code. */
  error?: string;
  at: number;
}

/** A NAS backup target's state (私人网盘): link, queue, progress of its run, last error; when it changes and per file copied. */
export interface NasTargetEvent {
  type: 'nas.target';
  slot: number;
  state: 'disabled' | 'idle' | 'backing-up' | 'waiting';
  link: 'connected' | 'disconnected';
  queued: number;
  lastSyncAt: number | null;
  lastError: { kind: string; message: string; at: number } | null;
  retryAt: number | null;
  run: { id: number; kind: 'auto' | 'manual'; total: number; done: number; skipped: number; failed: number; bytes: number; state: string } | null;
  currentFile: string | null;
  bytesPerSecond: number | null;
  at: number;
}

/** A box of the cascade (工作模式): a slave registered, answering, down or answering garbage, as the master sees it. */
export interface CascadeBoxEvent {
  type: 'cascade.box';
  box: string;
  state: 'online' | 'down' | 'invalid';
  detail: string;
  at: number;
}

/** The object-store archive's state, queue, last error and throughput, when they change (docs/object-store.md). */
export interface ObjectStoreStatusEvent {
  type: 'objectstore.status';
  enabled: boolean;
  state: 'off' | 'idle' | 'uploading' | 'retrying' | 'misconfigured';
  queueLength: number;
  oldestQueuedAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastUploadAt: number | null;
  uploaded: number;
  bytesUploaded: number;
  throughputBps: number;
  freed: number;
  at: number;
}

export type BoxEvent =
  | ChannelStateEvent
  | ChannelLevelEvent
  | RecordingStartedEvent
  | RecordingUpdatedEvent
  | RecordingStoppedEvent
  | RecordingIndexedEvent
  | AlarmRaisedEvent
  | AlarmClearedEvent
  | LinkEvent
  | DiskLevelEvent
  | VoipSessionEvent
  | SiprecSessionEvent
  | E1PortEvent
  | DeviceProgressEvent
  | NasTargetEvent
  | CascadeBoxEvent
  | ObjectStoreStatusEvent;

export type BoxEventType = BoxEvent['type'];

export const BOX_EVENT_TYPES: readonly BoxEventType[] = [
  'channel.state', 'channel.level', 'recording.started', 'recording.updated', 'recording.stopped', 'recording.indexed',
  'alarm.raised', 'alarm.cleared', 'linecard.up', 'linecard.down', 'disk.level', 'voip.session', 'siprec.session', 'e1.port',
  'device.progress', 'nas.target', 'cascade.box', 'objectstore.status',
];
