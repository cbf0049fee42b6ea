/**
 * Real NAS servers for tests, started on 127.0.0.1 from the Debian packages
 * with their own configuration in a temporary folder: Samba's smbd (its own
 * port, a tdbsam user database in the folder) and vsftpd (plain FTP or
 * FTPS with a self-signed certificate). Both sign in a local test account
 * (`rdxnas`, made when missing, its password set anew each run) whose files
 * land in a folder it owns. The tests run as root (as CI does).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './processes.ts';
import { freePort } from './free-port.ts';

export const NAS_USER = 'rdxnas';
const NAS_HOME = '/var/lib/rdxnas';

export interface NasServer {
  kind: 'smb' | 'ftp' | 'ftps';
  port: number;
  /** What the account's files land in. */
  root: string;
  account: string;
  password: string;
  /** SMB share name. */
  share: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  dispose(): Promise<void>;
}

let password: string | null = null;

/** The local account both servers sign in, with a fresh password. */
function ensureUser(): { uid: number; gid: number; password: string } {
  if (process.getuid?.() !== 0) throw new Error('the NAS tests start smbd and vsftpd for a local account: run them as root');
  try {
    execFileSync('id', ['-u', NAS_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-M', '-d', NAS_HOME, '-s', '/bin/sh', NAS_USER]);
  }
  // vsftpd changes to the account's home before its local_root.
  if (!fs.existsSync(NAS_HOME)) {
    fs.mkdirSync(NAS_HOME, { recursive: true });
    execFileSync('usermod', ['-d', NAS_HOME, NAS_USER]);
  }
  if (!password) {
    password = `Nas-${randomBytes(6).toString('hex')}`;
    execFileSync('chpasswd', { input: `${NAS_USER}:${password}\n` });
  }
  const uid = Number(execFileSync('id', ['-u', NAS_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', NAS_USER]).toString().trim());
  return { uid, gid, password };
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

/** The process ids below `pid` (from /proc): a server's sessions, which may have left its process group. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Stops a server the way a power cut would its connections: the server and every session it started. */
function signalGroup(c: ChildProcess, signal: NodeJS.Signals): void {
  for (const pid of [...descendants(c.pid!), c.pid!]) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
  try {
    process.kill(-c.pid!, signal);
  } catch {
    /* already gone */
  }
}

function supervised(dir: string, port: number, command: string, args: string[]) {
  let child: ChildProcess | null = null;
  const start = async () => {
    // Its own process group: smbd ends its whole group when it stops.
    child = spawn(command, args, { detached: true, stdio: ['ignore', fs.openSync(path.join(dir, `${path.basename(command)}.out`), 'a'), fs.openSync(path.join(dir, `${path.basename(command)}.err`), 'a')] });
    const c = child;
    await waitFor(`${command} on port ${port}`, async () => {
      if (c.exitCode !== null) throw new Error(`${command} exited ${c.exitCode}: ${fs.readFileSync(path.join(dir, `${path.basename(command)}.err`), 'utf8').slice(-800)}`);
      return listening(port);
    }, 15000, 50);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    signalGroup(c, 'SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
    if (c.exitCode === null && c.signalCode === null) signalGroup(c, 'SIGKILL');
    // smbd forks a child per connection: they end with their client, or are ended here.
    await waitFor(`port ${port} to close`, async () => !(await listening(port)), 10000, 50);
  };
  return { start, stop };
}

export async function startSamba(): Promise<NasServer> {
  const user = ensureUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-smb-'));
  const root = path.join(dir, 'share');
  for (const d of ['share', 'state', 'lock', 'pid', 'private', 'cache', 'log']) fs.mkdirSync(path.join(dir, d));
  fs.chmodSync(dir, 0o755);
  fs.chownSync(root, user.uid, user.gid);
  const port = await freePort();
  const conf = path.join(dir, 'smb.conf');
  fs.writeFileSync(conf, [
    '[global]',
    '  server role = standalone server',
    `  smb ports = ${port}`,
    '  interfaces = 127.0.0.1',
    '  bind interfaces only = yes',
    `  passdb backend = tdbsam:${dir}/private/passdb.tdb`,
    `  private dir = ${dir}/private`,
    `  state directory = ${dir}/state`,
    `  lock directory = ${dir}/lock`,
    `  pid directory = ${dir}/pid`,
    `  cache directory = ${dir}/cache`,
    `  ncalrpc dir = ${dir}/state/ncalrpc`,
    `  log file = ${dir}/log/smbd.log`,
    '  disable netbios = yes',
    '  server min protocol = SMB2',
    '  load printers = no',
    '  printing = bsd',
    '  printcap name = /dev/null',
    '  disable spoolss = yes',
    '[nas]',
    `  path = ${root}`,
    '  read only = no',
    `  valid users = ${NAS_USER}`,
    '',
  ].join('\n'));
  execFileSync('smbpasswd', ['-c', conf, '-s', '-a', NAS_USER], { input: `${user.password}\n${user.password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  const proc = supervised(dir, port, 'smbd', ['-s', conf, '--foreground', '--no-process-group', '--debug-stdout', '-d', '0']);
  await proc.start();
  return {
    kind: 'smb', port, root, account: NAS_USER, password: user.password, share: 'nas',
    start: proc.start, stop: proc.stop,
    async dispose() {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startVsftpd(tls = false): Promise<NasServer> {
  const user = ensureUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-ftp-'));
  const root = path.join(dir, 'home');
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(root);
  fs.mkdirSync(empty);
  fs.chmodSync(dir, 0o755);
  fs.chownSync(root, user.uid, user.gid);
  const port = await freePort();
  const lines = [
    'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
    'anonymous_enable=NO', 'local_enable=YES', 'write_enable=YES', 'local_umask=022',
    'chroot_local_user=YES', 'allow_writeable_chroot=YES', `local_root=${root}`, `secure_chroot_dir=${empty}`,
    'pam_service_name=vsftpd', 'pasv_enable=YES', 'pasv_address=127.0.0.1', 'seccomp_sandbox=NO', 'userlist_enable=NO',
    'xferlog_enable=NO', `vsftpd_log_file=${dir}/vsftpd.log`,
  ];
  if (tls) {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    lines.push('ssl_enable=YES', `rsa_cert_file=${cert}`, `rsa_private_key_file=${key}`, 'allow_anon_ssl=NO', 'force_local_logins_ssl=YES', 'force_local_data_ssl=YES', 'require_ssl_reuse=NO', 'ssl_ciphers=HIGH');
  }
  const conf = path.join(dir, 'vsftpd.conf');
  fs.writeFileSync(conf, `${lines.join('\n')}\n`);
  const proc = supervised(dir, port, 'vsftpd', [conf]);
  await proc.start();
  return {
    kind: tls ? 'ftps' : 'ftp', port, root, account: NAS_USER, password: user.password, share: '',
    start: proc.start, stop: proc.stop,
    async dispose() {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every file under `root`, relative, with its bytes. The server may be writing
 * while this reads: a file renamed or removed after it was listed (an upload's
 * `.part` becoming the file) is left out, as a listing a moment later would.
 */
export function filesUnder(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const gone = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      if (gone(e)) return;
      throw e;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        try {
          out.set(path.relative(root, p), fs.readFileSync(p));
        } catch (err) {
          if (!gone(err)) throw err;
        }
      }
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}
