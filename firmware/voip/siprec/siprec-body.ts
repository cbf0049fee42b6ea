/**
 * The body of a SIPREC request (RFC 7866 section 9): an SDP offer and/or
 * recording metadata, alone or as parts of a multipart/mixed body (extra
 * parts ignored). A bad body gives the status to answer and why.
 */
import { getHeader, type SipRequest } from '../sip/sip-message.ts';
import { parseContentType, parseMultipart, type BodyPart } from '../sip/multipart.ts';
import { parseOffer, type SdpOffer } from './sdp-offer.ts';
import { parseMetadata, type RecordingMetadata } from './rs-metadata.ts';

export interface SiprecBody {
  offer: SdpOffer | null;
  metadata: RecordingMetadata | null;
  /** The metadata document as received. */
  metadataXml: string | null;
}

export type SiprecBodyResult = ({ ok: true } & SiprecBody) | { ok: false; status: 400 | 415 | 488; reason: string };

const METADATA_TYPES = new Set(['application/rs-metadata+xml', 'application/rs-metadata']);

export function readSiprecBody(req: SipRequest): SiprecBodyResult {
  if (req.body.length === 0) return { ok: true, offer: null, metadata: null, metadataXml: null };
  const encoding = getHeader(req.headers, 'Content-Encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return { ok: false, status: 415, reason: `Content-Encoding ${encoding} not supported` };
  const ct = parseContentType(getHeader(req.headers, 'Content-Type'));
  let parts: Array<Pick<BodyPart, 'contentType' | 'body'>>;
  if (ct.type.startsWith('multipart/')) {
    const mp = parseMultipart(req.body, ct.params['boundary']);
    if (!mp.ok) return { ok: false, status: 400, reason: mp.reason };
    parts = mp.parts;
  } else parts = [{ contentType: ct, body: req.body }];
  const sdpParts = parts.filter((p) => p.contentType.type === 'application/sdp');
  const mdParts = parts.filter((p) => METADATA_TYPES.has(p.contentType.type));
  if (sdpParts.length === 0 && mdParts.length === 0) {
    return { ok: false, status: 415, reason: `no application/sdp or rs-metadata in a ${ct.type || 'untyped'} body` };
  }
  if (sdpParts.length > 1) return { ok: false, status: 400, reason: 'more than one SDP part' };
  let offer: SdpOffer | null = null;
  if (sdpParts[0]) {
    const o = parseOffer(sdpParts[0].body.toString('utf8'));
    if (!o.ok) return o;
    offer = o.offer;
  }
  let metadata: RecordingMetadata | null = null;
  let metadataXml: string | null = null;
  if (mdParts[0]) {
    metadataXml = mdParts[0].body.toString('utf8');
    const m = parseMetadata(metadataXml);
    if (!m.ok) return { ok: false, status: 400, reason: m.reason };
    metadata = m.metadata;
  }
  return { ok: true, offer, metadata, metadataXml };
}
