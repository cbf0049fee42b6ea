/**
 * The seat page's live connection (WebSocket /api/v1/ws with the seat's
 * session): channel state of the channels the seat sees, screen pops, and
 * live audio. Reconnects by itself with growing back-off.
 */
import { signal } from '@preact/signals';
import type { SocketIo } from './listen-control.ts';

export const seatConnected = signal(false);

export function seatSocket(onEvent: (e: any) => void, onPop: (p: any) => void): SocketIo & { close(): void } {
  let ws: WebSocket | null = null;
  let backoff = 500;
  let closed = false;
  const messages = new Set<(m: any) => void>();
  const binaries = new Set<(b: ArrayBuffer) => void>();
  const open = () => {
    if (closed) return;
    const s = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`);
    s.binaryType = 'arraybuffer';
    ws = s;
    s.onopen = () => {
      seatConnected.value = true;
      backoff = 500;
    };
    s.onmessage = (m) => {
      if (m.data instanceof ArrayBuffer) {
        for (const fn of binaries) fn(m.data);
        return;
      }
      let msg: any;
      try {
        msg = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (msg.type === 'event') onEvent(msg.event);
      else if (msg.type === 'pop') onPop(msg.pop);
      else for (const fn of messages) fn(msg);
    };
    s.onclose = (ev) => {
      seatConnected.value = false;
      if (ws === s) ws = null;
      if (closed) return;
      // The box ended the seat's session (switched off, signed in elsewhere, idle): back to sign-in.
      if (ev.code === 4401) {
        location.reload();
        return;
      }
      setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, 15_000);
    };
  };
  open();
  return {
    send: (msg) => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    },
    onMessage: (fn) => {
      messages.add(fn);
      return () => messages.delete(fn);
    },
    onBinary: (fn) => {
      binaries.add(fn);
      return () => binaries.delete(fn);
    },
    close: () => {
      closed = true;
      ws?.close();
    },
  };
}
