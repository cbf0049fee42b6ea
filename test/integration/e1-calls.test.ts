/**
 * E1 end to end: the line-card simulator (a real process on a pseudo-terminal
 * pair) taps 4 E1 ports of the RDT and plays a PRI port and a China No.1 port
 * — answered and unanswered calls in both directions, then a loss of signal —
 * into the real daemon (a process on the RDT board) with the real PRI and
 * China No.1 decoders. Both recordings of each answered call carry the audio
 * each side sent, in its own channel; the index has the port, timeslot,
 * numbers, direction, answer and cause; the LOS alarm comes and goes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { encodePcmWav } from '../../firmware/audio/wav.ts';
import { ROOT, getJson, killTree, startDaemonProcess, startSimulator, waitFor, type DaemonProcess } from '../support/processes.ts';
import { matchChannels, rdtOnPty, speech } from '../e1/link-helpers.ts';
import { tempDir } from '../support/temp-dir.ts';

const audio = { priA: speech(6, 101), priB: speech(6, 102), r2A: speech(6, 103), r2B: speech(6, 104) };

let work: string;
let sim: ChildProcess | undefined;
let daemon: DaemonProcess | undefined;
let records: any[] = [];
const alarmsSeen = new Set<string>();
let portAfterLos: any;

test.before(async () => {
  try {
    await play();
  } catch (e) {
    console.error(`E1 end-to-end run failed (work folder ${work}): ${(e as Error).message}`);
    throw e;
  }
});

async function play(): Promise<void> {
  work = tempDir('e1-calls-');
  const board = rdtOnPty(work);
  for (const [name, pcm] of Object.entries(audio)) fs.writeFileSync(path.join(work, `${name}.wav`), encodePcmWav(pcm));
  fs.mkdirSync(path.join(work, 'var/config'), { recursive: true });
  // Port 1 carries China No.1; ports 2 and 3 are switched off (the card stops sending them).
  fs.writeFileSync(
    path.join(work, 'var/config/settings.json'),
    JSON.stringify({ version: 2, e1: { '1': { signalling: 'china-no1' }, '2': { enabled: false }, '3': { enabled: false } } }),
  );
  fs.writeFileSync(path.join(work, 'scenario.json'), JSON.stringify({
    durationS: 120,
    lines: [],
    e1: [
      {
        port: 0, signalling: 'pri', networkSide: 'a',
        calls: [
          { timeslot: 5, from: 'a', at: 25, calling: '13912345678', callingType: 'national', called: '88776655', outcome: 'answered', ringS: 1, talkS: 5, clearedBy: 'b', audioA: 'priA.wav', audioB: 'priB.wav' },
          { timeslot: 17, from: 'b', at: 26, calling: '61234567', called: '4008123123', outcome: 'busy' },
        ],
        alarms: [{ side: 'b', kind: 'los', from: 44, to: 47 }],
      },
      {
        port: 1, signalling: 'china-no1', networkSide: 'a',
        calls: [
          { timeslot: 1, from: 'b', at: 25.5, calling: '88776655', called: '62345678', outcome: 'answered', ringS: 1, talkS: 5, clearedBy: 'a', audioA: 'r2A.wav', audioB: 'r2B.wav' },
          { timeslot: 3, from: 'a', at: 26.5, calling: '13800138000', called: '88776600', outcome: 'no-answer', ringS: 3 },
        ],
      },
    ],
  }));
  // The calls start 25 s into the scenario, once the daemon has started, identified the card and switched its E1 ports on.
  await startLinkedBox(board);
  records = await waitFor('four E1 calls indexed', async () => {
    const r = await getJson(daemon!.url('/api/v1/records?portType=e1&limit=20'));
    return r.items.length >= 4 ? r.items : null;
  }, 90_000, 500);
  await waitFor('loss of signal raised', async () => {
    const active = (await getJson(daemon!.url('/api/v1/alarms'))).items ?? [];
    for (const a of active) alarmsSeen.add(a.id);
    return alarmsSeen.has('e1-los:0');
  }, 60_000, 200);
  await waitFor('loss of signal cleared', async () => {
    const active = (await getJson(daemon!.url('/api/v1/alarms'))).items ?? [];
    return !active.some((a: { id: string }) => a.id === 'e1-los:0');
  }, 30_000, 200);
  portAfterLos = await getJson(daemon!.url('/api/v1/e1/ports/0'));
}

const cardUp = async () => (await getJson(daemon!.url('/api/v1/e1/ports'))).items[0].blocks > 0;

/**
 * The simulator on a pseudo-terminal pair and the daemon on its other end. A
 * pseudo-terminal that another program on the machine holds locked (a stale
 * process reopening a device name that was reused) cannot be the link: then
 * both start again with the card reached over TCP on loopback.
 */
async function startLinkedBox(board: string): Promise<void> {
  const scenario = path.join(work, 'scenario.json');
  sim = startSimulator(work, ['--board', board, '--scenario', scenario]);
  await waitFor('the simulator\'s pseudo-terminal', () => fs.existsSync(path.join(work, 'var/linecard-host.pty')), 30_000);
  daemon = await startDaemonProcess(work, board);
  const up = await waitFor('the card to come up', cardUp, 20_000, 200).catch(() => false);
  if (up) return;
  const log = fs.readFileSync(path.join(work, 'var/log/recorder.log'), 'utf8');
  if (!log.includes('Cannot lock port')) throw new Error('the card did not come up on the pseudo-terminal pair');
  console.error('e1-calls: the pseudo-terminal is locked by another process; the card is reached over TCP instead');
  const stopped = new Promise((r) => daemon!.child.once('exit', r));
  daemon.child.kill('SIGTERM');
  killTree(sim);
  await stopped;
  let err = '';
  sim = spawn(path.join(ROOT, 'scripts/linecard-sim'), ['--tcp-listen', '0', '--board', board, '--scenario', scenario], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  sim.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const port = await waitFor('the simulator on TCP', () => Number(/on TCP port (\d+)/.exec(err)?.[1]) || null, 30_000);
  const tcpBoard = path.join(work, 'rdt-on-tcp.json');
  fs.writeFileSync(tcpBoard, JSON.stringify({ ...JSON.parse(fs.readFileSync(board, 'utf8')), linecard: { transport: 'tcp', host: '127.0.0.1', port } }));
  daemon = await startDaemonProcess(work, tcpBoard);
  await waitFor('the card to come up over TCP', cardUp, 30_000, 200);
}

test.after(() => {
  killTree(sim);
  daemon?.child.kill('SIGTERM');
});

const find = (port: number, ts: number) => {
  const r = records.find((x) => x.port === port && x.channel === ts);
  assert.ok(r, `a recording of E1 port ${port} timeslot ${ts} (have ${records.map((x) => x.ref).join(', ')})`);
  return r;
};

function checkAudio(r: any, a: Int16Array, b: Int16Array): void {
  assert.is(r.stereo, true);
  const [left, right] = matchChannels(path.join(work, 'var/data', r.file), [a, b]);
  assert.ok(left!.correlation > 0.9, `side a in the left channel: correlation ${left!.correlation}`);
  assert.ok(right!.correlation > 0.9, `side b in the right channel: correlation ${right!.correlation}`);
}

test('PRI call answered: incoming from the network side, numbers, answer, cause, each side in its own channel', () => {
  const r = find(0, 5);
  assert.is(r.portType, 'e1');
  assert.is(r.ref, 'e1-0-5');
  assert.is(r.direction, 'incoming');
  assert.is(r.callType, 'incoming-answered');
  assert.is(r.remoteNumber, '13912345678');
  assert.is(r.lineNumber, '88776655');
  assert.is(r.answered, true);
  assert.is(r.cause, '16 normal call clearing');
  assert.is(r.startMode, 'signalling');
  assert.is(r.stopMode, 'hangup');
  checkAudio(r, audio.priA, audio.priB);
});

test('PRI call refused busy: outgoing from the user side, not answered, cause 17', () => {
  const r = find(0, 17);
  assert.is(r.direction, 'outgoing');
  assert.is(r.callType, 'outgoing');
  assert.is(r.remoteNumber, '4008123123');
  assert.is(r.lineNumber, '61234567');
  assert.is(r.answered, false);
  assert.is(r.cause, '17 user busy');
  assert.is(r.stopMode, 'busy-tone');
});

test('China No.1 call answered: MFC-R2 numbers, outgoing from the user side, each side in its own channel', () => {
  const r = find(1, 1);
  assert.is(r.direction, 'outgoing');
  assert.is(r.callType, 'outgoing');
  assert.is(r.remoteNumber, '62345678');
  assert.is(r.lineNumber, '88776655');
  assert.is(r.answered, true);
  assert.is(r.stopMode, 'hangup');
  checkAudio(r, audio.r2A, audio.r2B);
});

test('China No.1 call never answered: a missed incoming call', () => {
  const r = find(1, 3);
  assert.is(r.direction, 'incoming');
  assert.is(r.callType, 'incoming-missed');
  assert.is(r.remoteNumber, '13800138000');
  assert.is(r.lineNumber, '88776600');
  assert.is(r.answered, false);
  assert.is(r.stopMode, 'ring-timeout');
});

test('loss of signal on a side of port 0 raised the port alarm and cleared it', () => {
  assert.ok(alarmsSeen.has('e1-los:0'));
  assert.equal(portAfterLos.sides.b.alarms, []);
  assert.ok(portAfterLos.sides.b.slips >= 1, 'a slip counted as side b came back');
});

test.run();
