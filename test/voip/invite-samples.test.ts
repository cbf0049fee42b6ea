/** Real SRC bodies from PBXs and SBCs: each parses into streams and participants, and the server records each. */
import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMultipart } from '../../firmware/voip/sip/multipart.ts';
import { parseSipMessage, getHeader } from '../../firmware/voip/sip/sip-message.ts';
import { readSiprecBody } from '../../firmware/voip/siprec/siprec-body.ts';
import { numberOfAor } from '../../firmware/voip/siprec/rs-metadata.ts';
import { CRLF, request } from './support/sip-client.ts';
import { Harness } from './support/server-harness.ts';

const DIR = '../shared/siprec/invite-samples/';

/** A body sample wrapped in an INVITE; a full-INVITE sample gets its Content-Length recomputed. */
function inviteOf(file: string): Buffer {
  const text = CRLF(fs.readFileSync(DIR + file, 'utf8'));
  if (text.startsWith('INVITE ')) {
    const split = text.indexOf('\r\n\r\n');
    const body = Buffer.from(text.slice(split + 4));
    return Buffer.from(text.slice(0, split).replace(/Content-Length: \d+/i, `Content-Length: ${body.length}`) + '\r\n\r\n' + body.toString());
  }
  const boundary = /^--(\S+)/m.exec(text)![1]!;
  return request({ method: 'INVITE', callId: `sample-${file}`, cseq: 1, body: { type: `multipart/mixed; boundary="${boundary}"`, body: text }, headers: ['Require: siprec'] });
}

// file → labels, then the number sending each label (leg order), '' when the metadata cannot say.
const EXPECTED: Record<string, { labels: string[]; numbers: string[]; participants: number; sessionId: string }> = {
  '01_oracle-acme-sbc_body.txt': { labels: ['16777227', '16777228'], numbers: ['9000', '1002'], participants: 2, sessionId: 'AavRXwIIQj1Q39eJulTipQ==' },
  '02_avaya-cm_via-oracle-acme-sbc_body.txt': { labels: ['201835599', '201835600'], numbers: ['31624895902', '33187164021'], participants: 2, sessionId: '0rBXFi0CTBB0j8HyGBBrlg==' },
  '03_cisco-cube_body_with-gtd-part.txt': { labels: ['1', '2'], numbers: ['7301', '7300'], participants: 2, sessionId: 'kQNhKFdEEeeJ9tD/VsPGWA==' },
  '04_cisco-cube_body_inactive-sdp.txt': { labels: ['1', '2'], numbers: ['0733165805', '+972546136443'], participants: 2, sessionId: 'GZBIusaXEeuxxK1dFIaIyA==' },
  '05_sonus-ribbon-sbc_body_prefixed-ns_group-calldata.txt': { labels: ['1', '2'], numbers: ['2249888012', '2249888500'], participants: 2, sessionId: 'MTQ3YzA3YzEtNjdkNy0xMA==' },
  '06_avaya-sbce_body_labels-10-20.txt': { labels: ['10', '20'], numbers: [], participants: 2, sessionId: '00FA0800705D4C5DCAAC41' },
  '07_opensips-siprec-module_body_no-c-line.txt': { labels: ['1', '2'], numbers: ['0771121212', '0760516936'], participants: 2, sessionId: '2+hKdGY+QvCKu8HYTdBouQ==' },
  '08_sems_body_string-labels.txt': { labels: ['a_leg', 'b_leg'], numbers: [], participants: 2, sessionId: 'ho9aUhEQTRS+31th7sHStA==' },
  '09_intrado-viper_full-invite_single-stream.txt': { labels: ['1'], numbers: ['4058327108'], participants: 1, sessionId: '' },
  '12_broadworks_body_MANGLED-in-source.txt': { labels: ['1'], numbers: [], participants: 0, sessionId: '' },
};

for (const [file, want] of Object.entries(EXPECTED)) {
  test(`${file}: streams and participants parsed, one m-line answered per stream`, async () => {
    const invite = inviteOf(file);
    const parsed = parseSipMessage(invite);
    assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '');
    if (!parsed.ok || parsed.message.kind !== 'request') return;
    const body = readSiprecBody(parsed.message);
    assert.ok(body.ok, !body.ok ? body.reason : '');
    if (!body.ok) return;
    assert.equal(body.offer!.streams.map((s) => s.label), want.labels);
    assert.is(body.metadata?.participants.length ?? 0, want.participants);
    if (want.sessionId) assert.is(body.metadata!.sessionId, want.sessionId);

    const h = new Harness();
    await h.send(invite);
    const res = h.final();
    assert.is(res.status, 200);
    assert.is(getHeader(res.headers, 'Content-Type'), 'application/sdp');
    const answer = res.body.toString();
    assert.is((answer.match(/^m=audio [1-9]\d* /gm) ?? []).length, want.labels.length);
    for (const l of want.labels) assert.match(answer, `a=label:${l}\r\n`);
    const call = h.media.calls[0]!.merged();
    assert.is(call.source, 'siprec');
    assert.is(call.callId, getHeader(parsed.message.headers, 'Call-ID'));
    const legs = [...h.media.calls[0]!.streams.values()].map((s) => s.leg);
    assert.equal(legs, want.labels.length === 1 ? ['mixed'] : [0, 1]);
    if (want.numbers.length >= 1) assert.is(call.remoteNumber, want.numbers[0]);
    if (want.numbers.length >= 2) assert.is(call.localNumber, want.numbers[1]);
    if (want.sessionId) assert.is(call.metadata?.['siprec.sessionId'], want.sessionId);
  });
}

test('every partial sample parses without an exception', () => {
  for (const f of fs.readdirSync(DIR + 'partial')) {
    const text = CRLF(fs.readFileSync(`${DIR}partial/${f}`, 'utf8'));
    const boundary = /^--(\S+)/m.exec(text)?.[1];
    const r = parseMultipart(Buffer.from(text), boundary);
    assert.type(r.ok, 'boolean');
  }
  assert.is(numberOfAor('sip:@wellcloud.cc'), '');
  assert.is(numberOfAor('sip:+86139;noa=international@ims.example;user=phone'), '+86139');
});

test.run();
