/**
 * The maintenance console over a real pseudo-terminal, typed as a person
 * would: one key at a time with pauses, reading the screen. The box is the
 * whole recorder in one process (test/support/sim-box.ts) with its console
 * on one end of a socat pair; the test is the terminal on the other end.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { KEY, openTerminal, ptyPair, type PtyPair, type Terminal } from '../support/console-pty.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import { alteredCopy, testPackage } from '../upgrade/helpers.ts';

const ADMIN_PASSWORD = 'Console-pass-1';
const VIEWER_PASSWORD = 'Viewer-pass-2';

interface Ctx {
  dir: string;
  pty: PtyPair;
  box: SimBox;
  term: Terminal;
}

const session = suite<Ctx>('console session over a pseudo-terminal');

session.before(async (ctx) => {
  ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-pty-'));
  ctx.pty = await ptyPair(ctx.dir);
  ctx.box = await startSimBox({ sources: [], consoleDevice: ctx.pty.boxEnd, dataDir: path.join(ctx.dir, 'data') });
  ctx.term = await openTerminal(ctx.pty.terminalEnd);
});

session.after(async (ctx) => {
  await ctx.term?.close();
  await ctx.box?.stop();
  ctx.pty?.close();
  fs.rmSync(ctx.dir, { recursive: true, force: true });
});

/** Types a line and waits for what it should bring; returns the text received since the line was typed. */
async function say(term: Terminal, line: string, expect: RegExp | string): Promise<string> {
  const from = term.received().length;
  await term.type(line + KEY.enter);
  return term.waitFor(expect, from);
}

async function signIn(term: Terminal, username: string, password: string, expect: RegExp | string = `${username}> `): Promise<string> {
  await say(term, '', 'login: ');
  await say(term, username, 'Password: ');
  return say(term, password, expect);
}

session('Enter at the login prompt shows the banner with the current and the factory IP address', async ({ term }) => {
  // The banner written when the console opened comes first (the pseudo-terminal kept it); let it arrive.
  await term.waitFor(/login: $/, 0, 5000).catch(() => undefined);
  const out = await say(term, '', /login: $/);
  assert.match(out, /version \S+/);
  assert.match(out, /IP address: /);
  assert.match(out, /Factory IP address: 192\.168\.123\.100\/24/);
  assert.ok(out.includes('\r\n'), 'lines end with CRLF');
  assert.not.match(out.replace(/\r\n/g, ''), /\n/, 'no bare LF');
});

session('first sign-in as admin/admin: the password is typed unseen, and must be changed at once', async ({ term }) => {
  await say(term, 'admin', 'Password: ');
  const out = await say(term, 'admin', 'Current password: ');
  assert.match(out, /Signed in as admin/);
  assert.match(out, /must be changed/);
  assert.not.ok(term.screen.lines().some((l) => l.startsWith('Password:') && l !== 'Password:'), 'the password was not echoed');
  await say(term, 'admin', 'New password: ');
  await say(term, ADMIN_PASSWORD, 'New password again: ');
  const done = await say(term, ADMIN_PASSWORD, 'admin> ');
  assert.match(done, /Password changed\./);
  assert.not.ok(term.received().includes(ADMIN_PASSWORD), 'no password ever reaches the screen');
});

session('status shows the box', async ({ term }) => {
  const out = await say(term, 'status', /admin> $/);
  assert.match(out, /Model:\s+sim/);
  assert.match(out, /Line card:\s+up/);
  assert.match(out, /Disk:/);
});

session('a wrong command is named, with the near command and the way to help', async ({ term }) => {
  const out = await say(term, 'stauts', /admin> $/);
  assert.match(out, /Unknown command 'stauts'\. Did you mean: status\? Type 'help' for the commands\./);
  const usage = await say(term, 'log head', /admin> $/);
  assert.match(usage, /Usage:\r\n  log tail \[count\]/);
});

session('backspace and the arrows edit the line before Enter', async ({ term }) => {
  const from = term.received().length;
  // "chanenls": three backspaces leave "chane", one more "chan"; then "nels".
  await term.type(`chanenls${KEY.backspace}${KEY.backspace}${KEY.backspace}${KEY.backspace}nels`);
  await term.waitForLine('admin> channels');
  await term.type(KEY.enter);
  const out = await term.waitFor(/admin> $/, from);
  assert.match(out, /analog-0-0/);
  assert.match(out, /analog-0-7/);
  const from2 = term.received().length;
  // A typo in the middle: "dsik", back two, erase the "s", step over the "i", type the "s".
  await term.type(`dsik${KEY.left}${KEY.left}${KEY.backspace}${KEY.right}s`);
  await term.waitForLine('admin> disk');
  await term.type(KEY.enter);
  assert.match(await term.waitFor(/admin> $/, from2), /Encryption at rest:/);
});

session('the up arrow recalls an earlier command to run it again', async ({ term }) => {
  const from = term.received().length;
  await term.type(KEY.up + KEY.up);
  await term.waitForLine('admin> channels');
  await term.type(KEY.enter);
  const out = await term.waitFor(/admin> $/, from);
  assert.match(out, /analog-0-0/);
});

session('a command typed while the one before works is kept and runs next', async ({ term }) => {
  const from = term.received().length;
  await term.type(`status${KEY.enter}disk${KEY.enter}`, 1);
  const out = await term.waitFor(/Encryption at rest:[^]*admin> $/, from);
  assert.match(out, /Model:[^]*admin> disk\r\n[^]*Encryption at rest:/);
});

session('Tab completes a command name', async ({ term }) => {
  const from = term.received().length;
  await term.type(`ala${KEY.tab}`);
  await term.waitForLine('admin> alarms');
  await term.type(KEY.enter);
  await term.waitFor(/admin> $/, from);
});

session('Ctrl-C declines a question: passwd stops and the password stays', async ({ term }) => {
  await say(term, 'passwd', 'Current password: ');
  const from = term.received().length;
  await term.type(`half-typed${KEY.ctrlC}`);
  const out = await term.waitFor(/admin> $/, from);
  assert.match(out, /\^C\r\n/);
  assert.not.match(out, /Password changed/);
});

session('logout returns to the login prompt; a wrong password is refused', async ({ term }) => {
  const out = await say(term, 'logout', /login: $/);
  assert.match(out, /Signed out\./);
  const refused = await signIn(term, 'admin', 'not-the-password', /login: $/);
  assert.match(refused, /Login incorrect\./);
  await signIn(term, 'admin', ADMIN_PASSWORD);
});

session('a viewer (普通用户) may look but not change: status works, archive is refused', async ({ box, term }) => {
  await box.services.accounts.create(SYSTEM, { username: 'viewer', password: VIEWER_PASSWORD, role: 'user' });
  await say(term, 'logout', /login: $/);
  await signIn(term, 'viewer', VIEWER_PASSWORD);
  assert.match(await say(term, 'status', /viewer> $/), /Model:/);
  await say(term, 'reboot', 'Type 确认 (or confirm)');
  const refused = await say(term, 'confirm', /viewer> $/);
  assert.match(refused, /Error: The account may not do this: .*普通用户.* \[forbidden\]/);
  assert.is(box.power.requests.length, 0, 'no reboot');
  assert.match(await say(term, 'ip set 192.168.1.30/24', /viewer> $/), /\[forbidden\]/);
  await say(term, 'logout', /login: $/);
});

session('five wrong passwords lock the account at the console; it signs in again after the wait', async ({ box, term }) => {
  for (let i = 1; i <= 4; i++) assert.match(await signIn(term, 'viewer', `wrong-${i}`, /login: $/), /Login incorrect\./);
  const fifth = await signIn(term, 'viewer', 'wrong-5', /login: $/);
  assert.match(fifth, /Sign-in refused: too many failed sign-ins; try again in 30 s \[locked\]/);
  const whileLocked = await signIn(term, 'viewer', VIEWER_PASSWORD, /login: $/);
  assert.match(whileLocked, /\[locked\]/, 'even the right password waits');
  await box.run(31_000);
  await signIn(term, 'viewer', VIEWER_PASSWORD);
  await say(term, 'logout', /login: $/);
});

session('the operation log names the console as where each account acted', async ({ box, term }) => {
  await signIn(term, 'admin', ADMIN_PASSWORD);
  const page = await box.services.journal.operations({ limit: 200 });
  const consoleEntries = page.items.filter((e) => e.principal.kind === 'user' && e.principal.ip === 'console');
  const seen = (account: string, operation: string, ok: boolean) =>
    consoleEntries.some((e) => e.principal.kind === 'user' && e.principal.account === account && e.operation === operation && e.result.ok === ok);
  assert.ok(seen('admin', 'login', true), 'admin signed in at the console');
  assert.ok(seen('admin', 'set', true), 'admin changed its password at the console');
  assert.ok(seen('admin', 'login', false), 'the wrong password');
  assert.ok(seen('admin', 'logout', true), 'signed out');
  assert.ok(seen('viewer', 'reboot', false), 'the refused reboot');
  assert.ok(page.items.some((e) => e.operation === 'login' && e.detail === 'console'), 'sign-ins say they came from the console');
  const tail = await say(term, 'log tail 10', /admin> $/);
  assert.match(tail, /admin@console\s+account login/);
});

session('ip set from the console applies the address and keeps it when confirmed', async ({ box, term }) => {
  const refused = await say(term, 'ip set 10.1.2.0/24 gateway 10.9.9.9', /admin> $/);
  assert.match(refused, /Error: Invalid request: IP settings: .*network address.* \[BAD_REQUEST\]/);
  const asked = await say(term, 'ip set 192.168.1.20/24 gateway 192.168.1.1 dns 192.168.1.1', /Type 'yes' within \d+ s/);
  assert.match(asked, /Address:\s+192\.168\.1\.20\/24 \(netmask 255\.255\.255\.0\)/);
  const kept = await say(term, 'yes', /admin> $/);
  assert.match(kept, /The new IP settings are kept\./);
  const interfaces = fs.readFileSync(path.join(box.root, 'etc/network/interfaces'), 'utf8');
  assert.match(interfaces, /address 192\.168\.1\.20/);
  assert.match(await say(term, 'ip show', /admin> $/), /Gateway:\s+192\.168\.1\.1/);
  const logged = await box.services.journal.operations({ limit: 20 });
  assert.ok(logged.items.some((e) => e.parameter === 'network' && e.principal.kind === 'user' && e.principal.ip === 'console' && e.result.ok));
});

session('ntp off, then date set steps the clock in the box\'s time zone', async ({ box, term }) => {
  assert.match(await say(term, 'ntp off', /admin> $/), /NTP:\s+off/);
  const target = box.clock.now() + 5 * 60_000;
  const zoneOffsetMs = (await box.services.time.view()).utcOffsetMinutes * 60_000;
  const text = new Date(target + zoneOffsetMs).toISOString().replace('T', ' ').slice(0, 19);
  const out = await say(term, `date set "${text}"`, /admin> $/);
  assert.match(out, new RegExp(`Date and time:\\s+${text}`));
  assert.ok(Math.abs(box.clock.now() - target) < 5000, 'the box clock was stepped');
});

session('ping shows its output as it comes and its summary', async ({ term }) => {
  const out = await say(term, 'ping 127.0.0.1 count 2', /admin> $/);
  assert.match(out, /ping .*127\.0\.0\.1/);
  assert.match(out, /(\d) of 2 answered\./);
});

session('reboot needs the typed confirmation, then reboots the box', async ({ box, term }) => {
  await say(term, 'reboot', 'Type 确认 (or confirm)');
  assert.match(await say(term, 'no', /admin> $/), /\[confirmation_required\]/);
  assert.is(box.power.requests.length, 0);
  await say(term, 'reboot', 'Type 确认 (or confirm)');
  assert.match(await say(term, '确认', /admin> $/), /The box is rebooting/);
  assert.equal(box.power.requests.map((r) => r.kind), ['reboot']);
});

session('upgrade from a package file on the data disk: a tampered one is refused, a signed one stored and activated', async ({ box, term }) => {
  const built = await testPackage('9.1.0');
  const onDisk = path.join(box.dataDir, 'rds-9.1.0.rdxpkg');
  fs.copyFileSync(built, onDisk);
  const tampered = alteredCopy(onDisk, (b) => Buffer.concat([b, Buffer.from('extra')]));
  assert.match(await say(term, `upgrade ${tampered}`, /admin> $/), /\[package_tampered\]/);
  const stored = await say(term, `upgrade ${onDisk}`, /Type 'yes' to activate: /);
  assert.match(stored, /Version 9\.1\.0 is stored/);
  assert.match(await say(term, 'yes', /admin> $/), /Version 9\.1\.0 activated/);
  assert.ok(box.power.requests.some((r) => r.kind === 'restart-recorder'), 'the recorder restarts on it');
  assert.match(await say(term, 'upgrade list', /admin> $/), /9\.1\.0\s+current/);
});

session('without input for the idle time the console signs out by itself', async ({ box, term }) => {
  const access = box.services.auth.access();
  await box.services.auth.updateAccess(SYSTEM, { ...access, idleLogoutMinutes: 1 });
  await say(term, 'help', /admin> $/); // a key after the change arms the new idle time
  const from = term.received().length;
  await box.run(61_000);
  const out = await term.waitFor(/login: $/, from);
  assert.match(out, /Signed out after 1 minute without input\./);
});

session.run();
