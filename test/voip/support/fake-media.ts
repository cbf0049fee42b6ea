/** A VoipMedia that records what the SIPREC side asked of it, handing out ports from 40000. */
import type { StreamOffer, VoipCall, VoipCallStart, VoipMedia } from '../../../firmware/voip/siprec/recording-media.ts';

export interface FakeCall extends VoipCall {
  start: VoipCallStart;
  streams: Map<string, StreamOffer & { port: number }>;
  log: string[];
  closed: string | null;
  changes: Partial<VoipCallStart>[];
  /** Ends the call from the media side (silence timeout). */
  endFromMedia(reason: string): void;
  /** The call as the recording would store it: start plus every update. */
  merged(): VoipCallStart;
}

export class FakeMedia implements VoipMedia {
  calls: FakeCall[] = [];
  capacity = Infinity;
  nextPort = 40000;
  failAddStream = false;

  get open_(): FakeCall[] { return this.calls.filter((c) => c.closed === null); }

  open(start: VoipCallStart): VoipCall {
    if (this.open_.length >= this.capacity) throw Object.assign(new Error('over licence'), { code: 'capacity' });
    const media = this;
    let endNow: (r: string) => void = () => {};
    const ended = new Promise<string>((r) => { endNow = r; });
    const call: FakeCall = {
      id: `call-${this.calls.length + 1}`,
      start,
      streams: new Map(),
      log: [],
      closed: null,
      changes: [],
      ended,
      endFromMedia(reason) { call.closed = reason; endNow(reason); },
      async addStream(o) {
        if (media.failAddStream) throw new Error('no port');
        const port = media.nextPort;
        media.nextPort += 2;
        call.streams.set(o.label, { ...o, port });
        call.log.push(`add ${o.label} leg=${o.leg} ${o.remote ? `${o.remote.address}:${o.remote.port}` : '-'} ${o.codecs.map((c) => c.name).join('+')}`);
        return { port };
      },
      async updateStream(label, o) {
        const s = call.streams.get(label)!;
        Object.assign(s, o);
        call.log.push(`update ${label} ${o.remote ? `${o.remote.address}:${o.remote.port}` : '-'}`);
        return { port: s.port };
      },
      removeStream(label) { call.streams.delete(label); call.log.push(`remove ${label}`); },
      pause(reason) { call.log.push(`pause ${reason}`); },
      resume() { call.log.push('resume'); },
      update(change) { call.changes.push(change); },
      async close(reason) { call.closed = reason; call.log.push(`close ${reason}`); endNow(reason); },
      stats() { return { streams: call.streams.size }; },
      merged() { return Object.assign({}, call.start, ...call.changes); },
    };
    this.calls.push(call);
    return call;
  }
}
