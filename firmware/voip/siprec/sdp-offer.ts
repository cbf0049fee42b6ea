/**
 * The SDP side of a recording session (RFC 3264 offer/answer, RFC 7866
 * section 8): reads the SRC's offer into streams, decides which can be
 * recorded, and writes the answer — one m-line per offered stream in order,
 * port 0 for a declined one, recvonly, labels echoed, the chosen codec.
 */
import * as sdpTransform from 'sdp-transform';

export type CodecName = 'PCMA' | 'PCMU' | 'G722' | 'telephone-event';
export interface Codec { pt: number; name: CodecName; rate: number }

export interface OfferedStream {
  /** Position of the m-line in the offer. */
  index: number;
  media: string;
  /** `a=label`, or the m-line's position (1-based) when the offer has none. */
  label: string;
  port: number;
  protocol: string;
  /** The m-line's formats as offered. */
  formats: string;
  address: string | null;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** RFC 7866 `a=record:paused|off` or `a=recordpref` asking not to record now. */
  pausedByAttribute: boolean;
  /** The codecs we can record, in the offer's order (first audio codec first, telephone-event last). */
  codecs: Codec[];
  ptime: number | null;
  /** Why the stream cannot be recorded; null when it can. */
  declined: string | null;
}

export interface SdpOffer {
  originVersion: string;
  streams: OfferedStream[];
}

export type OfferResult = { ok: true; offer: SdpOffer } | { ok: false; status: 400 | 488; reason: string };

const STATIC: Record<number, { name: CodecName; rate: number }> = { 0: { name: 'PCMU', rate: 8000 }, 8: { name: 'PCMA', rate: 8000 }, 9: { name: 'G722', rate: 8000 } };
const NAMES: Record<string, CodecName> = { pcma: 'PCMA', pcmu: 'PCMU', g722: 'G722', 'telephone-event': 'telephone-event' };

function addressOf(c: { ip: string } | undefined): string | null {
  return c && c.ip ? c.ip : null;
}

export function parseOffer(text: string): OfferResult {
  try {
    return readOffer(text);
  } catch (e) {
    return { ok: false, status: 400, reason: `unreadable SDP (${e instanceof Error ? e.message : String(e)})` };
  }
}

function readOffer(text: string): OfferResult {
  if (!/^v=0\s*$/m.test(text)) return { ok: false, status: 400, reason: 'SDP without v=0' };
  const sdp = sdpTransform.parse(text.replace(/\r?\n/g, '\r\n'));
  const media = sdp.media ?? [];
  if (media.length === 0) return { ok: false, status: 488, reason: 'SDP offers no media stream' };
  const sessionDirection = sdp.direction;
  const streams = media.map((m, index): OfferedStream => {
    const pts = String(m.payloads ?? '').split(/\s+/).filter((p) => /^\d+$/.test(p)).map(Number);
    const codecs: Codec[] = [];
    for (const pt of pts) {
      const rtp = m.rtp?.find((r) => r.payload === pt);
      const known = rtp ? { name: NAMES[rtp.codec.toLowerCase()], rate: rtp.rate ?? 8000 } : STATIC[pt];
      if (!known?.name) continue;
      if (known.name !== 'telephone-event' && known.name !== 'G722' && known.rate !== 8000) continue;
      codecs.push({ pt, name: known.name, rate: known.rate });
    }
    codecs.sort((a, b) => Number(a.name === 'telephone-event') - Number(b.name === 'telephone-event'));
    const extras = (m.invalid ?? []).map((i) => String(i.value).toLowerCase());
    const pausedByAttribute = extras.some((v) => /^record:(paused|off)\b/.test(v) || /^recordpref:(pause|off|never)\b/.test(v));
    const address = addressOf(m.connection) ?? addressOf(sdp.connection);
    const direction = (m.direction ?? sessionDirection ?? 'sendrecv') as OfferedStream['direction'];
    let why: string | null = null;
    if (m.type !== 'audio') why = `${m.type} is not recorded`;
    else if (!/^RTP\/(S?AVPF?)$/i.test(m.protocol) || /SAVP/i.test(m.protocol)) why = `transport ${m.protocol} not supported`;
    else if (m.port === 0) why = 'stream removed by the offer';
    else if (!codecs.some((c) => c.name !== 'telephone-event')) why = 'no supported codec (PCMA, PCMU, G722)';
    return {
      index,
      media: m.type,
      label: m.label !== undefined && String(m.label).trim() !== '' ? String(m.label).trim() : String(index + 1),
      port: m.port,
      protocol: m.protocol,
      formats: String(m.payloads ?? '').trim() || '0',
      address,
      direction,
      pausedByAttribute,
      codecs: why ? [] : pickCodecs(codecs),
      ptime: m.ptime ?? null,
      declined: why,
    };
  });
  const seen = new Set<string>();
  for (const s of streams) {
    if (seen.has(s.label)) s.label = `${s.label}#${s.index + 1}`; // duplicate labels stay distinct
    seen.add(s.label);
  }
  return { ok: true, offer: { originVersion: String(sdp.origin?.sessionVersion ?? ''), streams } };
}

/** The offerer's first supported audio codec, plus telephone-event when offered. */
function pickCodecs(codecs: Codec[]): Codec[] {
  const audio = codecs.find((c) => c.name !== 'telephone-event');
  const dtmf = codecs.find((c) => c.name === 'telephone-event' && c.rate === 8000);
  return [audio!, ...(dtmf ? [dtmf] : [])];
}

/** True when the SRC says the media is not flowing now (hold, or recording paused). */
export function offerIsPaused(offer: SdpOffer): boolean {
  const live = offer.streams.filter((s) => !s.declined);
  return live.length > 0 && live.every((s) => s.pausedByAttribute || s.direction === 'inactive' || s.direction === 'recvonly' || s.address === '0.0.0.0');
}

export interface AnswerOptions {
  address: string;
  sessionId: string;
  version: number;
  /** Our receive port per offered stream (0 declines it). */
  ports: number[];
}

export function buildAnswer(offer: SdpOffer, o: AnswerOptions): string {
  const lines = ['v=0', `o=rds-srs ${o.sessionId} ${o.version} IN IP4 ${o.address}`, 's=SIPREC recording', `c=IN IP4 ${o.address}`, 't=0 0'];
  offer.streams.forEach((s, i) => {
    const port = o.ports[i] ?? 0;
    if (port === 0 || s.declined) {
      lines.push(`m=${s.media} 0 ${s.protocol} ${s.formats}`);
      if (s.label) lines.push(`a=label:${s.label.replace(/#\d+$/, '')}`);
      return;
    }
    lines.push(`m=audio ${port} RTP/AVP ${s.codecs.map((c) => c.pt).join(' ')}`);
    for (const c of s.codecs) {
      lines.push(`a=rtpmap:${c.pt} ${c.name}/${c.rate}`);
      if (c.name === 'telephone-event') lines.push(`a=fmtp:${c.pt} 0-15`);
    }
    if (s.ptime) lines.push(`a=ptime:${s.ptime}`);
    lines.push('a=recvonly', `a=label:${s.label.replace(/#\d+$/, '')}`);
  });
  return lines.join('\r\n') + '\r\n';
}
