/**
 * The image's init script and supervisor, run for real under BusyBox sh (the
 * box's shell) in a temporary root: a stand-in daemon is started, crashed,
 * restarted and stopped; start-up failures are counted and roll an upgrade back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, waitFor } from '../support/processes.ts';

const OVERLAY = path.join(ROOT, 'buildroot-overlay/board/common/rootfs-overlay');
const INIT = path.join(OVERLAY, 'etc/init.d/S60recorder');
const SUPERVISE = path.join(OVERLAY, 'usr/sbin/recorder-supervise');

/**
 * Stands in for node: `fake-node [--node-option ...] <program> --board ...`
 * (the options, then malloc's mapping threshold, are written to events/flags). The program file says
 * what the daemon does: `ok` writes the ready file and runs until SIGTERM,
 * `fail` exits with status 3 before being ready, `slow` reports progress for
 * 4.5 s before it is ready, `stuck` reports progress once and hangs.
 */
const FAKE_NODE = `#!/bin/sh
flags=""
while [ "\${1#--}" != "$1" ]; do flags="$flags $1"; shift; done
echo "$$$flags \${MALLOC_MMAP_THRESHOLD_:-unset}" >>"$TEST_EVENTS/flags"
prog="$1"; shift
mode=$(cat "$prog")
echo "$$ $(readlink -f "$prog") $*" >>"$TEST_EVENTS/starts"
trap 'echo "$$" >>"$TEST_EVENTS/stops"; exit 0' TERM
[ "$mode" = fail ] && exit 3
# slow: a long start-up (an index conversion) reporting progress; stuck: progress once, then nothing.
if [ "$mode" = slow ]; then
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do echo "index conversion: $i" >"$RECORDER_PROGRESS_FILE"; sleep 0.3; done
fi
if [ "$mode" = stuck ]; then
  echo "index conversion: 1" >"$RECORDER_PROGRESS_FILE"
  while :; do sleep 0.05; done
fi
sleep 0.2
echo "$$" >"$RECORDER_READY_FILE"
while :; do sleep 0.05; done
`;

interface Box {
  dir: string;
  env: NodeJS.ProcessEnv;
  events: string;
  state: string;
  run: string;
  logs: string;
  cleanup(): void;
}

function makeBox(settings: Record<string, string> = {}): Box {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervise-'));
  const p = (...parts: string[]) => path.join(dir, ...parts);
  for (const d of ['bin', 'events', 'state', 'run', 'logs', 'image', 'versions/v1', 'versions/v2']) fs.mkdirSync(p(d), { recursive: true });
  // BusyBox applets first in PATH: start-stop-daemon, sleep, readlink ... as on the box.
  execFileSync('busybox', ['--install', '-s', p('bin')]);
  fs.writeFileSync(p('fake-node'), FAKE_NODE, { mode: 0o755 });
  fs.writeFileSync(p('supervise'), `#!/bin/sh\nexec busybox sh ${SUPERVISE}\n`, { mode: 0o755 });
  fs.writeFileSync(p('image/main.js'), 'ok\n');
  fs.writeFileSync(p('versions/v1/main.js'), 'ok\n');
  fs.writeFileSync(p('versions/v2/main.js'), 'fail\n');
  const defaults = {
    RECORDER_BOARD: 'rds',
    RECORDER_PORT: '8080',
    RECORDER_DATA: p('data'),
    RECORDER_CONFIG: p('config'),
    RECORDER_LOGS: p('logs'),
    RECORDER_STATE: p('state'),
    RECORDER_VERSIONS: p('state'),
    RECORDER_RUN: p('run'),
    RECORDER_NODE: p('fake-node'),
    RECORDER_PROGRAM_DIR: p('image'),
    RECORDER_SUPERVISE: p('supervise'),
    RECORDER_CONSOLE: '',
    RECORDER_MAX_START_FAILURES: '3',
    RECORDER_START_TIMEOUT: '10',
    RECORDER_STOP_TIMEOUT: '5',
    RECORDER_RESTART_DELAY: '0',
    RECORDER_POLL: '0.05',
    ...settings,
  };
  fs.writeFileSync(p('default'), Object.entries(defaults).map(([k, v]) => `${k}="${v}"\n`).join(''));
  const env = { ...process.env, PATH: `${p('bin')}:${process.env.PATH}`, RECORDER_DEFAULTS: p('default'), TEST_EVENTS: p('events') };
  return {
    dir, env, events: p('events'), state: p('state'), run: p('run'), logs: p('logs'),
    cleanup() {
      init(this, 'stop');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function init(box: Box, action: string): { status: number | null; out: string } {
  const r = spawnSync('busybox', ['sh', INIT, action], { env: box.env, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

const lines = (file: string): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const readyPid = (box: Box): number | null => {
  const f = path.join(box.run, 'ready');
  return fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8').trim()) || null : null;
};

test('the init script starts the daemon under supervision, restarts it after a crash, and stops both', async () => {
  const box = makeBox({ RECORDER_NODE_FLAGS: '--max-old-space-size=96 --max-semi-space-size=1', RECORDER_MALLOC_MMAP_THRESHOLD: '65536' });
  try {
    const started = init(box, 'start');
    assert.is(started.status, 0, started.out);
    const first = await waitFor('the daemon to be ready', () => readyPid(box), 30_000);
    const starts = lines(path.join(box.events, 'starts'));
    assert.is(starts.length, 1);
    assert.ok(starts[0]!.includes(`${box.dir}/image/main.js --board rds --port 8080`), starts[0]);
    assert.equal(lines(path.join(box.events, 'flags')), [`${first} --max-old-space-size=96 --max-semi-space-size=1 65536`], 'node gets the heap options before the program, and the malloc threshold');
    assert.match(init(box, 'status').out, /running/);
    assert.is(init(box, 'start').out.trim(), 'recorder: already running');

    process.kill(first, 'SIGKILL');
    const second = await waitFor('a restarted daemon', () => {
      const pid = readyPid(box);
      return pid && pid !== first ? pid : null;
    }, 30_000);
    assert.ok(alive(second));
    assert.is(lines(path.join(box.events, 'starts')).length, 2);
    assert.match(fs.readFileSync(path.join(box.logs, 'supervise.log'), 'utf8'), /exited with status 137; restarting/);

    const supervisor = Number(fs.readFileSync(path.join(box.run, 'supervise.pid'), 'utf8'));
    const stopped = init(box, 'stop');
    assert.is(stopped.status, 0, stopped.out);
    assert.equal(lines(path.join(box.events, 'stops')), [String(second)], 'the daemon got SIGTERM');
    assert.not.ok(alive(second), 'the daemon has exited');
    assert.not.ok(alive(supervisor), 'the supervisor has exited');
    assert.is(init(box, 'status').status, 3);
    assert.is(lines(path.join(box.events, 'starts')).length, 2, 'no restart after stop');
  } finally {
    box.cleanup();
  }
});

test('a start-up that keeps reporting progress gets more time than the timeout; one whose progress stops does not', async () => {
  const box = makeBox({ RECORDER_START_TIMEOUT: '2', RECORDER_MAX_START_FAILURES: '50' });
  try {
    fs.writeFileSync(path.join(box.dir, 'image/main.js'), 'slow\n');
    assert.is(init(box, 'start').status, 0);
    await waitFor('the slow start-up to be ready', () => readyPid(box), 30_000);
    assert.is(lines(path.join(box.events, 'starts')).length, 1, 'started once: 4.5 s of progress did not count as a failure');
    const log = () => fs.readFileSync(path.join(box.logs, 'supervise.log'), 'utf8');
    assert.match(log(), /starting: index conversion: 1/);
    assert.match(log(), /ready after [3-9] s \(index conversion: 15\)/);
    assert.is(init(box, 'stop').status, 0);

    fs.writeFileSync(path.join(box.dir, 'image/main.js'), 'stuck\n');
    assert.is(init(box, 'start').status, 0);
    const counter = path.join(box.state, 'start-failures');
    await waitFor('the stuck start-up to count as a failure', () => (fs.existsSync(counter) && Number(fs.readFileSync(counter, 'utf8')) >= 1) || null, 30_000);
    assert.match(log(), /not ready within 2 s of its last progress \(index conversion: 1\); stopping it/);
  } finally {
    box.cleanup();
  }
});

test('consecutive start-up failures roll an upgrade back to the previous version, which resets the counter', async () => {
  const box = makeBox();
  try {
    fs.symlinkSync(path.join(box.dir, 'versions/v2'), path.join(box.state, 'current'));
    fs.symlinkSync(path.join(box.dir, 'versions/v1'), path.join(box.state, 'previous'));
    assert.is(init(box, 'start').status, 0);
    await waitFor('the previous version to be ready', () => readyPid(box), 30_000);
    const starts = lines(path.join(box.events, 'starts')).map((l) => l.split(' ')[1]);
    assert.equal(starts, [...Array(3).fill(`${box.dir}/versions/v2/main.js`), `${box.dir}/versions/v1/main.js`]);
    assert.is(fs.readlinkSync(path.join(box.state, 'current')), path.join(box.dir, 'versions/v1'));
    assert.not.ok(fs.existsSync(path.join(box.state, 'previous')));
    assert.equal(lines(path.join(box.state, 'failed-versions')), [path.join(box.dir, 'versions/v2')]);
    assert.is(fs.readFileSync(path.join(box.state, 'start-failures'), 'utf8').trim(), '0');
  } finally {
    box.cleanup();
  }
});

test('the start-up failure counter survives a restart of the supervisor and is reset by a good start', async () => {
  // A limit far above what the test waits for: on a busy machine several more failures can come
  // before the stop takes effect, and reaching the limit would roll back and reset the counter.
  const box = makeBox({ RECORDER_MAX_START_FAILURES: '50' });
  try {
    fs.writeFileSync(path.join(box.dir, 'image/main.js'), 'fail\n');
    assert.is(init(box, 'start').status, 0);
    const counter = path.join(box.state, 'start-failures');
    await waitFor('two start-up failures', () => (fs.existsSync(counter) && Number(fs.readFileSync(counter, 'utf8')) >= 2) || null, 30_000);
    init(box, 'stop');
    const counted = Number(fs.readFileSync(counter, 'utf8'));
    assert.ok(counted >= 2 && counted < 50, `counted ${counted}`);
    // The image's own version has nothing to roll back to; the next boot brings a working one.
    fs.writeFileSync(path.join(box.dir, 'image/main.js'), 'ok\n');
    assert.is(init(box, 'start').status, 0);
    await waitFor('the daemon to be ready', () => readyPid(box), 30_000);
    assert.match(fs.readFileSync(path.join(box.logs, 'supervise.log'), 'utf8'), new RegExp(`start-up failures so far: ${counted}`));
    await waitFor('the counter to be reset', () => fs.readFileSync(counter, 'utf8').trim() === '0' || null, 30_000);
  } finally {
    box.cleanup();
  }
});

test.run();
