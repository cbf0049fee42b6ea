/**
 * A field upgrade end to end: a package built and signed, uploaded through
 * the API, stored; refused packages (unsigned, tampered, truncated, wrong
 * board, too old to upgrade from, too large) leave nothing behind; a
 * downgrade needs its confirmation; activating restarts the recorder, and
 * recorder-supervise (the box's own script under BusyBox sh) then runs the
 * new version, which reports itself; rolling back (回退) brings the previous
 * one back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { PACKAGE_MAGIC } from '../../firmware/upgrade/package-format.ts';
import { alteredCopy, standInProgram, testPackage } from './helpers.ts';
import { tempDir } from '../support/temp-dir.ts';

const SUPERVISE = path.resolve(import.meta.dirname, '../../buildroot-overlay/board/common/rootfs-overlay/usr/sbin/recorder-supervise');

let box: SimBox;
let admin: ApiClient;

async function upload(file: string): Promise<{ status: number; body: any }> {
  const res = await admin.fetch('/api/v1/upgrades', { method: 'POST', body: fs.readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
  return { status: res.status, body: await res.json() };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs recorder-supervise over the box's version slots until the program it starts answers; returns its health. */
async function superviseAndAsk(root: string): Promise<{ version: string; program: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervised-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  execFileSync('busybox', ['--install', '-s', bin]);
  standInProgram(path.join(dir, 'image'), '0.1.0');
  const port = await freePort();
  const env = {
    PATH: `${bin}:${process.env.PATH}`, RECORDER_NODE: process.execPath, RECORDER_PROGRAM_DIR: path.join(dir, 'image'), RECORDER_PORT: String(port),
    RECORDER_VERSIONS: path.join(root, 'opt/recorder'), RECORDER_STATE: path.join(dir, 'state'), RECORDER_RUN: path.join(dir, 'run'), RECORDER_LOGS: path.join(dir, 'logs'),
    RECORDER_DATA: path.join(dir, 'data'), RECORDER_CONFIG: path.join(dir, 'config'), RECORDER_START_TIMEOUT: '20', RECORDER_RESTART_DELAY: '0', RECORDER_POLL: '0.05',
  };
  const child: ChildProcess = spawn('busybox', ['sh', SUPERVISE], { env, stdio: 'ignore' });
  try {
    for (let i = 0; i < 200; i++) {
      const health = await new Promise<any>((resolve) => {
        http.get(`http://127.0.0.1:${port}/api/v1/health`, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            try {
              resolve(JSON.parse(text));
            } catch {
              resolve(null);
            }
          });
        }).on('error', () => resolve(null));
      });
      if (health) {
        const log = fs.readFileSync(path.join(dir, 'logs', 'supervise.log'), 'utf8');
        return { version: health.version, program: /started (\S+)/.exec(log)![1]! };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the supervised program did not answer');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.before(async () => {
  box = await startSimBox({ sources: [] });
  admin = await signIn(`http://127.0.0.1:${box.port}`);
});

test.after(async () => {
  await box.stop();
});

test('refused packages are not stored, each with its reason', async () => {
  const good = await testPackage('9.0.0');
  const manifestLength = fs.readFileSync(good).readUInt32BE(PACKAGE_MAGIC.length);
  const cases: Array<[string, string, number, string]> = [
    [alteredCopy(good, (b) => {
      const c = Buffer.from(b);
      c.writeUInt32BE(0, PACKAGE_MAGIC.length + 4 + manifestLength);
      return c;
    }), 'package_signature', 422, 'unsigned'],
    [alteredCopy(good, (b) => {
      const c = Buffer.from(b);
      c[c.length - 10]! ^= 0x55;
      return c;
    }), 'package_tampered', 422, 'hash'],
    [alteredCopy(good, (b) => b.subarray(0, b.length - 1000)), 'package_invalid', 422, 'truncated'],
    [await testPackage('9.0.0', { boards: ['rds', 'rdt'] }), 'package_board', 422, 'for rds, rdt; this box is sim'],
    [await testPackage('9.0.0', { minFromVersion: '5.0.0' }), 'package_too_old', 409, 'upgrades from 5.0.0 or later'],
    [await testPackage('9.0.0', { arch: process.arch === 'arm64' ? 'x64' : 'arm64' }), 'package_board', 422, 'processors'],
  ];
  for (const [file, code, status, reason] of cases) {
    const r = await upload(file);
    assert.equal([r.status, r.body.error.code], [status, code], JSON.stringify(r.body));
    assert.ok(r.body.error.message.includes(reason), r.body.error.message);
  }
  const huge = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(`http://127.0.0.1:${box.port}/api/v1/upgrades`, {
      method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/octet-stream', 'content-length': String(300 * 1024 * 1024) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        req.destroy();
        try {
          resolve({ status: res.statusCode!, body: JSON.parse(text) });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1024));
  });
  assert.equal([huge.status, huge.body.error.code], [413, 'PAYLOAD_TOO_LARGE']);
  const list = (await admin.json('/api/v1/upgrades')).body;
  assert.equal(list.versions, []);
  assert.equal(fs.readdirSync(path.join(box.dataDir + '-root', 'opt/recorder/versions')), [], 'nothing unpacked');
  const failed = await box.services.journal.operations({ operation: 'upload' });
  assert.is(failed.items.filter((o) => !o.result.ok).length, cases.length + 1);
});

test('upload, activate, the new version runs and reports itself, roll back', async () => {
  const root = `${box.dataDir}-root`;
  // Built by the packaging script, as `make package` does (from a folder instead of the bundle).
  const work = tempDir('make-package-');
  const built = path.join(work, 'recorder-sim-9.0.0.rdxpkg');
  await promisify(execFile)(path.resolve(import.meta.dirname, '../../scripts/make-package'), ['--board', 'sim', '--version', '9.0.0', '--from', standInProgram(path.join(work, 'src'), '9.0.0'), '--out', built]);
  const r = await upload(built);
  assert.is(r.status, 201, JSON.stringify(r.body));
  assert.equal([r.body.version, r.body.signedBy], ['9.0.0', 'dev']);
  let list = (await admin.json('/api/v1/upgrades')).body;
  assert.equal(list.versions.map((v: any) => [v.version, v.status]), [['9.0.0', 'stored']]);
  assert.is(list.running, '0.1.0');

  // An older version is stored, but activating it needs the downgrade confirmed.
  assert.is((await upload(await testPackage('0.0.5'))).status, 201);
  const down = await admin.json('/api/v1/upgrades/0.0.5/activate', { method: 'POST', body: {} });
  assert.equal([down.status, down.body.error.code], [409, 'downgrade_unconfirmed']);

  const act = await admin.json('/api/v1/upgrades/9.0.0/activate', { method: 'POST', body: {} });
  assert.is(act.status, 200, JSON.stringify(act.body));
  assert.equal(act.body, { version: '9.0.0', restart: 'requested' });
  assert.equal(box.power.requests.map((q) => q.kind), ['restart-recorder']);
  list = (await admin.json('/api/v1/upgrades')).body;
  assert.equal([list.current, list.previous, list.pending.version], ['9.0.0', null, '9.0.0']);

  const upgraded = await superviseAndAsk(root);
  assert.is(upgraded.version, '9.0.0', 'the new version reports itself');
  assert.match(upgraded.program, /opt\/recorder\/current\/main\.js$/);

  // 回退: back to the image's own version, which is older: confirmed.
  const unconfirmed = await admin.json('/api/v1/upgrades/rollback', { method: 'POST', body: {} });
  assert.equal([unconfirmed.status, unconfirmed.body.error.code], [409, 'downgrade_unconfirmed']);
  const back = await admin.json('/api/v1/upgrades/rollback', { method: 'POST', body: { confirmDowngrade: true } });
  assert.equal([back.status, back.body.version], [200, null]);
  list = (await admin.json('/api/v1/upgrades')).body;
  assert.is(list.current, null);
  const rolledBack = await superviseAndAsk(root);
  assert.is(rolledBack.version, '0.1.0', 'the previous version runs again');

  const del = await admin.fetch('/api/v1/upgrades/0.0.5', { method: 'DELETE' });
  assert.is(del.status, 204);
  const ops = await box.services.journal.operations({ item: 'system' });
  const done = ops.items.filter((o) => o.result.ok).map((o) => o.operation);
  for (const op of ['upload', 'upgrade', 'rollback', 'delete']) assert.ok(done.includes(op as never), op);
});

test.run();
