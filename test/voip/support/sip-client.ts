/** Builds SIPREC requests the way an SRC sends them, for tests. */
import fs from 'node:fs';

export const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

export function sdpOffer(opts: { version?: number; ports?: number[]; labels?: string[]; direction?: string; address?: string; extra?: string } = {}): string {
  const ports = opts.ports ?? [16000, 16004];
  const labels = opts.labels ?? ports.map((_, i) => String(i + 1));
  const lines = ['v=0', `o=SRC 1736933400 ${opts.version ?? 1} IN IP4 127.0.0.1`, 's=-', `c=IN IP4 ${opts.address ?? '127.0.0.1'}`, 't=0 0'];
  ports.forEach((p, i) => {
    lines.push(`m=audio ${p} RTP/AVP 8 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', `a=${opts.direction ?? 'sendonly'}`, `a=label:${labels[i]}`);
    if (opts.extra) lines.push(opts.extra);
  });
  return lines.join('\r\n') + '\r\n';
}

/** The metadata of the README's scenarios: caller +8613912345678 sends label 1, callee 8001 sends label 2. */
export function metadataXml(callId: string, labels = ['1', '2']): string {
  const text = fs.readFileSync('../shared/siprec/scenarios/siprec_a_basic_two_streams.xml', 'utf8');
  const xml = /<\?xml version="1\.0" encoding="UTF-8"\?>\s*<recording[\s\S]*?<\/recording>/.exec(text)![0];
  return xml.replace('[call_id]', callId).replace('<label>1</label>', `<label>${labels[0]}</label>`).replace('<label>2</label>', `<label>${labels[1]}</label>`);
}

export function multipart(parts: Array<{ type: string; body: string; disposition?: string }>, boundary = 'b-01'): { type: string; body: string } {
  const chunks = parts.map((p) => `--${boundary}\r\nContent-Type: ${p.type}\r\n${p.disposition ? `Content-Disposition: ${p.disposition}\r\n` : ''}\r\n${CRLF(p.body)}`);
  return { type: `multipart/mixed;boundary=${boundary}`, body: chunks.join('\r\n') + `\r\n--${boundary}--\r\n` };
}

export interface RequestOpts {
  method: string;
  callId: string;
  cseq: number;
  branch?: string;
  toTag?: string;
  body?: { type: string; body: string };
  headers?: string[];
  transport?: 'UDP' | 'TCP';
}

let branchCounter = 0;

export function request(o: RequestOpts): Buffer {
  const branch = o.branch ?? `z9hG4bK-test-${++branchCounter}`;
  const body = o.body ? Buffer.from(o.body.body) : Buffer.alloc(0);
  const lines = [
    `${o.method} sip:srs@127.0.0.1:5060 SIP/2.0`,
    `Via: SIP/2.0/${o.transport ?? 'UDP'} 127.0.0.1:5061;branch=${branch}`,
    'Max-Forwards: 70',
    'From: <sip:src@127.0.0.1:5061>;tag=src-1',
    `To: <sip:srs@127.0.0.1:5060>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq} ${o.method === 'ACK' ? 'ACK' : o.method}`,
    'Contact: <sip:src@127.0.0.1:5061>;+sip.src',
    ...(o.headers ?? []),
    ...(o.body ? [`Content-Type: ${o.body.type}`] : []),
    `Content-Length: ${body.length}`,
    '',
    '',
  ];
  return Buffer.concat([Buffer.from(lines.join('\r\n')), body]);
}

export function siprecInvite(callId: string, opts: { sdp?: string; xml?: string | null; cseq?: number; toTag?: string; headers?: string[]; branch?: string } = {}): Buffer {
  const sdp = opts.sdp ?? sdpOffer();
  const xml = opts.xml === undefined ? metadataXml(callId) : opts.xml;
  const body = xml === null ? { type: 'application/sdp', body: sdp } : multipart([{ type: 'application/sdp', body: sdp }, { type: 'application/rs-metadata+xml', body: xml, disposition: 'recording-session' }]);
  return request({ method: 'INVITE', callId, cseq: opts.cseq ?? 1, body, headers: ['Require: siprec', ...(opts.headers ?? [])], ...(opts.toTag ? { toTag: opts.toTag } : {}), ...(opts.branch ? { branch: opts.branch } : {}) });
}
