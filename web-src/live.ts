/**
 * The live connection to the box (WebSocket /api/v1/ws): channel states,
 * recordings, alarms and the line-card link as they happen, and who else has
 * the same settings page open. Reconnects by itself with growing back-off.
 */
import { signal } from '@preact/signals';
import { authRedirect, get } from './api.ts';

export interface Channel {
  ref: string;
  portType: string;
  port: number;
  channel: number;
  name: string;
  state: 'disconnected' | 'idle' | 'incoming' | 'outgoing';
  voltage: number;
  recording: boolean;
  recordingId: string | null;
  recordingSince: string | null;
  recordingMode: string | null;
  controlMode: string;
  forcedRecording: boolean;
  lineNumber: string;
  remoteNumber: string;
  callerName: string;
  level: number;
  recordingEnabled: boolean;
}

export interface Alarm {
  id: string;
  severity: string;
  area: string;
  message: string;
  raisedAt: string;
  count: number;
}

export const channels = signal<Channel[]>([]);
export const alarms = signal<Alarm[]>([]);
export const linecardUp = signal(true);
export const connected = signal(false);
/** Others on the page this session reported (presence). */
export const presence = signal<{ page: string; others: Array<{ account: string; ip: string }> } | null>(null);
/** Bumped when a recording is indexed, so search pages may refresh. */
export const indexedCount = signal(0);

let socket: WebSocket | null = null;
let backoff = 500;
let page: string | null = null;
let watchLevels = false;
let stopped = true;

function send(msg: object): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

const BASE_TYPES = ['channel.state', 'recording.started', 'recording.updated', 'recording.stopped', 'recording.indexed', 'alarm.raised', 'alarm.cleared', 'linecard.up', 'linecard.down', 'disk.level'];

const eventListeners = new Map<(e: any) => void, string[]>();

function sendWatch(): void {
  const extra = [...eventListeners.values()].flat();
  send({ type: 'watch', types: [...new Set([...BASE_TYPES, ...(watchLevels ? ['channel.level'] : []), ...extra])] });
}

/** Settings page this session has open (null when none), for the others-editing warning. */
export function setPresence(p: string | null): void {
  page = p;
  if (p === null) presence.value = null;
  send({ type: 'presence', page: p });
}

/** Level meters wanted (the recording status page). */
export function setLevelWatch(on: boolean): void {
  watchLevels = on;
  sendWatch();
}

export async function refreshChannels(): Promise<void> {
  const [list, al, status] = await Promise.all([get('/channels'), get('/alarms'), get('/status').catch(() => null)]);
  channels.value = list.items;
  alarms.value = al.items;
  if (status) linecardUp.value = Boolean(status.linecard?.up);
}

export function patchChannel(ref: string, patch: Partial<Channel>): void {
  channels.value = channels.value.map((c) => (c.ref === ref ? { ...c, ...patch } : c));
}

function onEvent(e: any): void {
  switch (e.type) {
    case 'channel.state':
      patchChannel(e.ref, { state: e.state, voltage: e.voltage, remoteNumber: e.remoteNumber, callerName: e.callerName, recording: e.recording });
      break;
    case 'channel.level':
      patchChannel(e.ref, { level: Math.round(e.level) });
      break;
    case 'recording.started':
      patchChannel(e.ref, { recording: true, recordingId: e.id, recordingSince: e.at, recordingMode: e.startMode ?? null });
      void get(`/channels/${encodeURIComponent(e.ref)}`).then((c) => patchChannel(e.ref, c), () => undefined);
      break;
    case 'recording.updated':
      void get(`/channels/${encodeURIComponent(e.ref)}`).then((c) => patchChannel(e.ref, c), () => undefined);
      break;
    case 'recording.stopped':
      patchChannel(e.ref, { recording: false, recordingId: null, recordingSince: null, recordingMode: null });
      void get(`/channels/${encodeURIComponent(e.ref)}`).then((c) => patchChannel(e.ref, c), () => undefined);
      break;
    case 'recording.indexed':
      indexedCount.value++;
      break;
    case 'alarm.raised':
    case 'alarm.cleared':
      void get('/alarms').then((a) => (alarms.value = a.items), () => undefined);
      break;
    case 'linecard.up':
      linecardUp.value = true;
      break;
    case 'linecard.down':
      linecardUp.value = false;
      break;
  }
}

function open(): void {
  if (stopped) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    connected.value = true;
    backoff = 500;
    sendWatch();
    if (page) send({ type: 'presence', page });
    // Catch up on what happened while the socket was down.
    void refreshChannels().catch(() => undefined);
  };
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (m) => {
    if (m.data instanceof ArrayBuffer) {
      for (const fn of binaryListeners) fn(m.data);
      return;
    }
    let msg: any;
    try {
      msg = JSON.parse(String(m.data));
    } catch {
      return;
    }
    if (msg.type === 'event') {
      onEvent(msg.event);
      for (const fn of eventListeners.keys()) fn(msg.event);
    }
    else if (msg.type === 'presence' && msg.page === page) presence.value = { page: msg.page, others: msg.others };
    else for (const fn of messageListeners) fn(msg);
  };
  ws.onclose = (ev) => {
    connected.value = false;
    if (socket === ws) socket = null;
    if (stopped) return;
    // The box ended the session (signed out elsewhere, account switched off, idle): to the login page.
    if (ev.code === 4401) {
      stopped = true;
      authRedirect.value = '/login';
      return;
    }
    setTimeout(open, backoff);
    backoff = Math.min(backoff * 2, 15_000);
  };
}

/** Calls `fn` with every box event the socket brings, watching `types` as well while it listens; returns the unsubscribe (for a page's useEffect). */
export function onLiveEvent(types: string[], fn: (e: any) => void): () => void {
  eventListeners.set(fn, types);
  sendWatch();
  return () => {
    eventListeners.delete(fn);
    sendWatch();
  };
}

const messageListeners = new Set<(m: any) => void>();
const binaryListeners = new Set<(b: ArrayBuffer) => void>();

/** The live socket as live listening uses it: send a message, hear other messages and audio frames. */
export const liveIo = {
  send,
  onMessage(fn: (m: any) => void): () => void {
    messageListeners.add(fn);
    return () => messageListeners.delete(fn);
  },
  onBinary(fn: (b: ArrayBuffer) => void): () => void {
    binaryListeners.add(fn);
    return () => binaryListeners.delete(fn);
  },
};

export function startLive(): void {
  if (!stopped) return;
  stopped = false;
  open();
}

export function stopLive(): void {
  stopped = true;
  socket?.close();
  socket = null;
}
