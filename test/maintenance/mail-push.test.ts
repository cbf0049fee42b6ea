/**
 * Email push against real SMTP servers started here: the test mail with
 * STARTTLS and a login, then over TLS; the authorization code never read
 * back; a wrong code and a server that is not there reported per
 * recipient; an alarm of the box (the line card going silent) mailed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { freePort } from '../support/free-port.ts';

const LOGIN = { user: 'recorder@example.com', pass: 'AUTHCODE1234' };
let box: SimBox;
let api: ApiClient;
const sinks: SmtpSink[] = [];

test.before(async () => {
  box = await startSimBox({ sources: [], maintenance: { mailGatherMs: 2000 } });
  api = await signIn(`http://127.0.0.1:${box.port}`);
});

test.after(async () => {
  for (const s of sinks) await s.close();
  await box?.stop();
});

async function sink(security: 'tls' | 'starttls' | 'none'): Promise<SmtpSink> {
  const s = await startSmtpSink({ security, login: LOGIN });
  sinks.push(s);
  return s;
}

const setMail = (body: object) => api.json('/api/v1/settings/mail', { method: 'PATCH', body });

test('the settings refuse bad input and never answer the authorization code', async () => {
  let r = await setMail({ recipients: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com', 'f@example.com'] });
  assert.is(r.status, 400);
  assert.match(r.body.error.message, 'at most 5');
  r = await setMail({ server: '-oProxyCommand=x' });
  assert.is(r.status, 400);
  r = await setMail({ enabled: true });
  assert.is(r.status, 400, 'on without a sender and recipients');
  assert.match(r.body.error.message, 'sender');
  r = await setMail({ sender: LOGIN.user, authCode: LOGIN.pass, recipients: ['ops@example.com'] });
  assert.is(r.status, 200);
  assert.is(r.body.authCodeSet, true);
  assert.not.ok('authCode' in r.body);
  const got = await api.json('/api/v1/settings/mail');
  assert.not.ok(JSON.stringify(got.body).includes(LOGIN.pass), 'the code is nowhere in the answer');
  const stale = await api.json('/api/v1/settings/mail', { method: 'PATCH', body: { port: 25 }, headers: { 'if-match': '"not-the-revision"' } });
  assert.is(stale.status, 409);
});

test('the test mail goes out with STARTTLS and the login, with the text given, to each recipient', async () => {
  const s = await sink('starttls');
  const r = await setMail({
    enabled: true, server: '127.0.0.1', port: s.port, security: 'starttls', allowUntrustedCertificate: true,
    sender: LOGIN.user, recipients: ['ops@example.com', 'boss@example.com'],
  });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const sent = await api.json('/api/v1/mail/test', { method: 'POST', body: { text: '测试邮件 from the field: line 3 is fixed' } });
  assert.is(sent.status, 200, JSON.stringify(sent.body));
  assert.equal(sent.body.results.map((x: any) => [x.address, x.ok]), [['ops@example.com', true], ['boss@example.com', true]]);
  const mails = await s.waitFor(2);
  assert.equal(mails.map((m) => m.to).sort(), [['boss@example.com'], ['ops@example.com']], 'one message per recipient');
  for (const m of mails) {
    assert.ok(m.secure, 'upgraded with STARTTLS');
    assert.is(m.user, LOGIN.user);
    assert.is(m.from, LOGIN.user);
    assert.match(m.subject, '邮件测试');
    assert.match(m.text, '测试邮件 from the field: line 3 is fixed');
  }
  const status = (await api.json('/api/v1/settings/mail')).body.recipientStatus;
  assert.equal(status.map((x: any) => [x.address, x.last.ok, x.last.kind]), [['ops@example.com', true, 'test'], ['boss@example.com', true, 'test']]);
});

test('over TLS a wrong authorization code is reported for each recipient; the right one then sends', async () => {
  const s = await sink('tls');
  await setMail({ port: s.port, security: 'tls', authCode: 'WRONG' });
  let sent = await api.json('/api/v1/mail/test', { method: 'POST', body: {} });
  assert.is(sent.status, 200);
  assert.is(sent.body.failed, 2);
  for (const x of sent.body.results) assert.match(x.detail, /535|Invalid/);
  const status = (await api.json('/api/v1/settings/mail')).body.recipientStatus;
  assert.ok(status.every((x: any) => x.last.ok === false && /535|Invalid/.test(x.last.detail)));
  await setMail({ authCode: LOGIN.pass });
  sent = await api.json('/api/v1/mail/test', { method: 'POST', body: { text: 'over TLS' } });
  assert.is(sent.body.sent, 2, JSON.stringify(sent.body));
  const [m] = await s.waitFor(1);
  assert.ok(m!.secure);
  assert.match(m!.text, 'over TLS');
});

test('a server that is not there is reported for each recipient', async () => {
  const port = await freePort();
  await setMail({ port, security: 'starttls' });
  const sent = await api.json('/api/v1/mail/test', { method: 'POST', body: { text: 'x' } });
  assert.is(sent.status, 200);
  assert.equal(sent.body.results.map((x: any) => x.ok), [false, false]);
  for (const x of sent.body.results) assert.match(x.detail, 'ECONNREFUSED');
  const ops = (await api.json('/api/v1/operations?item=system&operation=test')).body.items;
  assert.ok(ops.some((o: any) => /ECONNREFUSED/.test(o.detail)), 'the outcome is in the operation log');
});

test('an alarm of the box is mailed: the line card going silent', async () => {
  const s = await sink('starttls');
  await setMail({ port: s.port, security: 'starttls', alarmSeverity: 'critical', recipients: ['ops@example.com'] });
  box.card.setMute(true);
  await box.run(6_000);
  const [m] = await s.waitFor(1);
  assert.equal(m!.to, ['ops@example.com']);
  assert.match(m!.subject, 'line card not answering');
  assert.match(m!.text, 'linecard-down');
  assert.match(m!.text, '仍在告警 still active');
  box.card.setMute(false);
  await box.run(3_000);
  const status = (await api.json('/api/v1/settings/mail')).body.recipientStatus;
  assert.is(status[0].last.kind, 'alarm');
  assert.is(status[0].last.ok, true);
});

test.run();
