/**
 * One recording session (RFC 7866): the media call behind a SIPREC dialog.
 * The first offer opens the call with one leg per recordable stream (two
 * streams → legs 0 and 1, one → mixed); later offers move ports, change
 * codecs, add or remove streams and pause or resume the same call; metadata,
 * whenever it arrives, names the participants of each leg.
 */
import type { StreamOffer, VoipCall, VoipCallStart, VoipMedia } from './recording-media.ts';
import { buildAnswer, offerIsPaused, type OfferedStream, type SdpOffer } from './sdp-offer.ts';
import { mergeMetadata, numberOfAor, senderOfLabel, type MetadataParticipant, type RecordingMetadata } from './rs-metadata.ts';

export type Leg = 0 | 1 | 'mixed';

export interface RecordedStream {
  label: string;
  leg: Leg;
  port: number;
  remote: { address: string; port: number } | null;
  codec: string;
}

export interface RecordingContext {
  sipCallId: string;
  /** `address:port/transport` of the SRC. */
  peer: string;
  /** Address written in our SDP answer. */
  localAddress: string;
  now: number;
}

export type Refusal = { ok: false; status: number; reason: string; retryAfter?: number };
const MAX_METADATA_TEXT = 16_384;

export class SiprecRecording {
  private readonly streams = new Map<string, RecordedStream>();
  private metadata: RecordingMetadata | null = null;
  private metadataXml = '';
  private paused = false;
  private version = 1;
  private readonly sdpSessionId = String(Date.now() % 1e10);
  private closed = false;

  private constructor(private readonly call: VoipCall, private readonly ctx: RecordingContext) {}

  get callId(): string { return this.call.id; }
  get isPaused(): boolean { return this.paused; }
  get recorded(): RecordedStream[] { return [...this.streams.values()]; }
  get session(): RecordingMetadata | null { return this.metadata; }

  /** Opens the media call for a first offer and returns the answer, or why it cannot be recorded. */
  static async open(media: VoipMedia, ctx: RecordingContext, offer: SdpOffer, metadata: RecordingMetadata | null, metadataXml: string | null): Promise<{ ok: true; rec: SiprecRecording; answer: string } | Refusal> {
    if (!offer.streams.some((s) => !s.declined)) return { ok: false, status: 488, reason: offer.streams[0]?.declined ?? 'no recordable stream' };
    const recordable = offer.streams.filter((st) => !st.declined);
    const plan = recordable.slice(0, 2).map((st, i): { label: string; leg: Leg } => ({ label: st.label, leg: recordable.length === 1 ? 'mixed' : (i as 0 | 1) }));
    const md = metadata ? mergeMetadata(null, metadata) : null;
    const known = describeCall(ctx, md, plan, metadataXml ?? '');
    let call: VoipCall;
    try {
      call = media.open({ source: 'siprec', callId: ctx.sipCallId, direction: 'unknown', device: ctx.peer, legs: plan.length === 1 ? 1 : 2, at: ctx.now, ...known });
    } catch (e) {
      if ((e as { code?: unknown }).code === 'capacity') return { ok: false, status: 503, reason: 'Recording Capacity Reached', retryAfter: 30 };
      return { ok: false, status: 500, reason: 'Media Unavailable' };
    }
    const rec = new SiprecRecording(call, ctx);
    if (metadata) rec.takeMetadata(metadata, metadataXml);
    const ports = await rec.applyOffer(offer, true);
    if (ports.every((p) => p === 0)) {
      await call.close('no stream could be opened');
      return { ok: false, status: 488, reason: 'no stream could be opened' };
    }
    rec.call.update(rec.describe());
    return { ok: true, rec, answer: rec.answer(offer, ports) };
  }

  /** A later offer (re-INVITE or UPDATE) on the same call. */
  async reoffer(offer: SdpOffer): Promise<{ ok: true; answer: string } | Refusal> {
    const ports = await this.applyOffer(offer, false);
    if (ports.every((p) => p === 0) && offer.streams.some((s) => !s.declined)) return { ok: false, status: 488, reason: 'no stream could be opened' };
    this.version++;
    return { ok: true, answer: this.answer(offer, ports) };
  }

  /** Metadata sent later (re-INVITE, UPDATE); a partial snapshot is merged. */
  updateMetadata(md: RecordingMetadata, xml: string | null): void {
    this.takeMetadata(md, xml);
    this.call.update(this.describe());
  }

  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.call.close(reason);
  }

  stats(): object { return this.call.stats(); }

  /** Resolves with the reason when the media call ends, whoever ended it. */
  get ended(): Promise<string> { return this.call.ended; }

  private takeMetadata(md: RecordingMetadata, xml: string | null): void {
    this.metadata = mergeMetadata(this.metadata, md);
    if (xml) this.metadataXml = xml;
  }

  private answer(offer: SdpOffer, ports: number[]): string {
    return buildAnswer(offer, { address: this.ctx.localAddress, sessionId: this.sdpSessionId, version: this.version, ports });
  }

  private freeLeg(recordable: number): Leg | null {
    const used = new Set([...this.streams.values()].map((s) => s.leg));
    if (recordable === 1 && this.streams.size === 0) return 'mixed';
    if (used.has('mixed')) return null;
    for (const leg of [0, 1] as const) if (!used.has(leg)) return leg;
    return null;
  }

  private async applyOffer(offer: SdpOffer, first: boolean): Promise<number[]> {
    const recordable = offer.streams.filter((s) => !s.declined).length;
    const ports: number[] = [];
    const offeredLabels = new Set(offer.streams.map((s) => s.label));
    for (const [label] of this.streams) {
      if (!offeredLabels.has(label)) this.drop(label);
    }
    for (const s of offer.streams) {
      const held = this.streams.get(s.label);
      if (s.declined) {
        if (held) this.drop(s.label);
        ports.push(0);
        continue;
      }
      const o = this.streamOffer(s, held?.leg ?? null);
      try {
        if (held) {
          const { port } = await this.call.updateStream(s.label, { remote: o.remote, codecs: o.codecs });
          held.port = port;
          held.remote = o.remote ?? null;
          held.codec = o.codecs[0]!.name;
          ports.push(port);
          continue;
        }
        const leg = this.freeLeg(recordable);
        if (leg === null) { ports.push(0); continue; }
        const { port } = await this.call.addStream({ ...o, leg });
        this.streams.set(s.label, { label: s.label, leg, port, remote: o.remote ?? null, codec: o.codecs[0]!.name });
        ports.push(port);
      } catch {
        ports.push(0);
      }
    }
    const pause = offerIsPaused(offer);
    if (pause && !this.paused) this.call.pause('hold');
    else if (!pause && this.paused && !first) this.call.resume();
    this.paused = pause;
    return ports;
  }

  private drop(label: string): void {
    this.streams.delete(label);
    this.call.removeStream(label);
  }

  private streamOffer(s: OfferedStream, leg: Leg | null): StreamOffer {
    const remote = s.address && s.address !== '0.0.0.0' && s.port > 0 ? { address: s.address, port: s.port } : undefined;
    return { label: s.label, leg: leg ?? 'mixed', codecs: s.codecs, ...(remote ? { remote } : {}) };
  }

  /** What the recording knows of the call: numbers and names per leg, participants, session ids. */
  describe(): Partial<VoipCallStart> {
    return describeCall(this.ctx, this.metadata, [...this.streams.values()], this.metadataXml);
  }
}

/** The participants of each leg: from the metadata's stream association, else in document order by leg. */
function participantsByLeg(md: RecordingMetadata | null, streams: ReadonlyArray<{ label: string; leg: Leg }>): Map<Leg, MetadataParticipant> {
  const out = new Map<Leg, MetadataParticipant>();
  if (!md) return out;
  for (const s of streams) {
    const p = senderOfLabel(md, s.label);
    if (p) out.set(s.leg, p);
  }
  if (out.size === 0) {
    const ordered = [...streams].sort((a, b) => (a.leg === 'mixed' ? 0 : a.leg) - (b.leg === 'mixed' ? 0 : b.leg));
    ordered.forEach((s, i) => { const p = md.participants[i]; if (p) out.set(s.leg, p); });
  }
  return out;
}

/** The call as the metadata and the streams describe it: leg 0's sender is the remote party, leg 1's the local one. */
function describeCall(ctx: RecordingContext, md: RecordingMetadata | null, streams: ReadonlyArray<{ label: string; leg: Leg }>, xml: string): Partial<VoipCallStart> {
  const byLeg = participantsByLeg(md, streams);
  const first = byLeg.get(0) ?? byLeg.get('mixed');
  const second = byLeg.get(1) ?? (byLeg.has('mixed') ? md?.participants.find((p) => p !== first) : undefined);
  const roleOf = (p: MetadataParticipant) => {
    for (const [leg, q] of byLeg) if (q === p) return leg === 'mixed' ? 'mixed' : `leg${leg}`;
    return 'participant';
  };
  const meta: Record<string, string> = { 'sip.callId': ctx.sipCallId, 'siprec.src': ctx.peer };
  if (md?.sessionId) meta['siprec.sessionId'] = md.sessionId;
  if (md?.sipSessionIds.length) meta['siprec.sipSessionId'] = md.sipSessionIds.join(' ');
  if (md?.groupId) meta['siprec.groupId'] = md.groupId;
  for (const s of streams) meta[`siprec.label.${s.label}`] = s.leg === 'mixed' ? 'mixed' : `leg${s.leg}`;
  if (xml) meta['siprec.metadata'] = xml.length > MAX_METADATA_TEXT ? xml.slice(0, MAX_METADATA_TEXT) : xml;
  const change: Partial<VoipCallStart> = { metadata: meta };
  if (md) change.participants = md.participants.map((p) => ({ aor: p.aor, name: p.name, role: roleOf(p) }));
  if (first) { change.remoteNumber = numberOfAor(first.aor); change.remoteName = first.name; }
  if (second) { change.localNumber = numberOfAor(second.aor); change.localName = second.name; }
  return change;
}
