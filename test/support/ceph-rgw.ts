/**
 * A single-node Ceph RADOS Gateway on 127.0.0.1 for tests and benches: one
 * monitor, one memstore OSD (data in memory) and radosgw, from the Debian
 * packages (ceph-mon, ceph-osd, radosgw, ceph-common), with authentication
 * off inside the cluster and one S3 user made with radosgw-admin. Started
 * in about 15 s; the first S3 request waits while radosgw creates its pools.
 * `stopGateway()`/`startGateway()` stop and restart radosgw alone (the
 * cluster and its objects stay), as a store that goes away mid-upload.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface CephGateway {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  dir: string;
  stopGateway(): Promise<void>;
  startGateway(): Promise<void>;
  stop(): Promise<void>;
}

function confText(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = [v1:127.0.0.1:${monPort}]
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
mon warn on insecure global id reclaim allowed = false
ms bind msgr2 = false
ms bind ipv6 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd crush update on start = false
osd class update on start = false
run dir = ${dir}/run
log file = ${dir}/log/$name.log
admin socket = ${dir}/run/$name.asok
pid file = ${dir}/run/$name.pid
keyring = ${dir}/keyring
mon data = ${dir}/mon/$id
osd data = ${dir}/osd/$id
osd objectstore = memstore
memstore device bytes = 1073741824
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw thread pool size = 32
`;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Ceph: timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function httpUp(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

export async function startCephGateway(options: { accessKey?: string; secretKey?: string } = {}): Promise<CephGateway> {
  // A cluster that does not come up (the OSD now and then misses its first boot on a loaded machine) is made again once.
  try {
    return await startOnce(options);
  } catch (e) {
    console.error(`Ceph gateway: ${(e as Error).message.split('\n')[0]}; starting a new cluster`);
    return startOnce(options);
  }
}

async function startOnce(options: { accessKey?: string; secretKey?: string }): Promise<CephGateway> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceph-rgw-'));
  for (const d of ['mon/a', 'osd/0', 'run', 'log']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const fsid = randomUUID();
  const monPort = await freePort();
  const rgwPort = await freePort();
  const conf = path.join(dir, 'ceph.conf');
  fs.writeFileSync(conf, confText(dir, fsid, monPort, rgwPort));
  fs.writeFileSync(path.join(dir, 'keyring'), '');
  const children: ChildProcess[] = [];
  const daemon = (cmd: string, args: string[], name: string) => {
    const out = fs.openSync(path.join(dir, 'log', `${name}.out`), 'a');
    const child = spawn(cmd, ['-c', conf, '-f', ...args], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    children.push(child);
    return child;
  };
  const ceph = (args: string[]) => run('ceph', ['-c', conf, '--connect-timeout', '10', ...args], { timeout: 30_000 });
  let rgw: ChildProcess | null = null;
  const stopChild = async (c: ChildProcess | null) => {
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  };
  const stopAll = async (keep = false) => {
    for (const c of [...children].reverse()) await stopChild(c);
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('monmaptool', ['--create', '--addv', 'a', `[v1:127.0.0.1:${monPort}]`, '--fsid', fsid, path.join(dir, 'monmap')]);
    await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap')]);
    daemon('ceph-mon', ['-i', 'a'], 'mon');
    // The OSD is made with its uuid first, so the monitor knows it when it boots.
    const osdUuid = randomUUID();
    await until('the monitor', async () => (await ceph(['osd', 'create', osdUuid])).stdout.trim() === '0', 20_000);
    await run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid]);
    // Placed by hand: an OSD that places itself at start may ask before it knows the cluster's fsid, and never boot.
    await ceph(['osd', 'crush', 'add', 'osd.0', '1.0', 'root=default', 'host=node']);
    daemon('ceph-osd', ['-i', '0'], 'osd');
    await until('the OSD to be up', async () => /1 up/.test((await ceph(['osd', 'stat'])).stdout), 25_000);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    const startGateway = async () => {
      rgw = daemon('radosgw', ['-n', 'client.rgw'], 'rgw');
      await until('radosgw to answer', () => httpUp(endpoint), 60_000);
    };
    await startGateway();
    const accessKey = options.accessKey ?? 'TESTACCESSKEY0000001';
    const secretKey = options.secretKey ?? 'test-secret-key-of-the-gateway-0000000001';
    await run('radosgw-admin', ['-c', conf, 'user', 'create', '--uid=recorder', '--display-name=recorder', `--access-key=${accessKey}`, `--secret=${secretKey}`], { timeout: 60_000 });
    return {
      endpoint, accessKey, secretKey, region: 'default', dir,
      stopGateway: () => stopChild(rgw),
      startGateway,
      stop: () => stopAll(),
    };
  } catch (e) {
    const logs = ['mon.out', 'osd.out', 'rgw.out'].map((f) => {
      try {
        return `${f}: ${fs.readFileSync(path.join(dir, 'log', f), 'utf8').slice(-800)}`;
      } catch {
        return '';
      }
    });
    await stopAll(process.env.CEPH_KEEP === '1');
    throw new Error(`${(e as Error).message} (${dir})\n${logs.join('\n')}`);
  }
}
