/**
 * The line-card simulator program: a simulated card in real time on a serial
 * device (usually one end of a pseudo-terminal pair, see scripts/linecard-sim)
 * or on a TCP port, carrying a scenario or generated traffic.
 *
 *   linecard-sim (--device <tty> | --tcp-listen <port>) [--board <model|file>]
 *                [--scenario <file>] [--seed <n>] [--continuous]
 *                [--crc-error-every <n>] [--garbage-every <n>] [--drop-audio-every <n>]
 *                [--e1-signalling pri|china-no1[,...]] [--e1-full]
 *
 * A board with E1 ports (the RDT) taps them too: the scenario's "e1" part,
 * else generated trunk traffic on every port (`--e1-signalling` per port,
 * PRI by default; `--e1-full` keeps every timeslot in a call).
 * The board defaults to the scenario's "board", else `sim`. With a scenario
 * that has "durationS", the program exits 0 when it has run that long.
 * Logs go to stderr: "ready" once the card runs, then a line per call. SIGUSR1
 * mutes/unmutes the card (a dead card); SIGINT/SIGTERM stop it.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { loadBoard } from '../board/load-board.ts';
import { isRecorderError } from '../errors.ts';
import type { ByteLink, Clock } from '../host/host.ts';
import { SimulatedLineCard, type CardFaults } from './linecard-card.ts';
import type { LineSource } from './line-model.ts';
import { loadScenario, scenarioBoard, scenarioSources, type Scenario } from './scenario.ts';
import { generateTraffic, type Traffic, type TrafficEvent } from './traffic.ts';
import { E1PortModel, type E1Signalling, type E1SimCall } from './e1/e1-port-model.ts';
import { e1TrafficPorts } from './e1/e1-traffic.ts';

/**
 * Unsent bytes beyond this are dropped: a UART does not wait for a reader.
 * About 1.5 s of a full RDT's traffic (64 lines and 4 E1 ports, ≈ 2.6 MB/s),
 * the card's buffer while the host is busy.
 */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const h = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(h) };
  },
  setInterval(fn, ms) {
    const h = setInterval(fn, ms);
    return { cancel: () => clearInterval(h) };
  },
};

const log = (line: string) => process.stderr.write(`linecard-sim: ${line}\n`);

const USAGE = `usage: linecard-sim (--device <tty> | --tcp-listen <port>) [--board <model|file>]
                    [--scenario <file>] [--seed <n>] [--continuous]
                    [--crc-error-every <n>] [--garbage-every <n>] [--drop-audio-every <n>]
                    [--e1-signalling pri|china-no1[,...]] [--e1-full]`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not '${value}'`);
  return n;
}

/** A ByteLink over a stream (serial port or socket) that drops output nobody is reading. */
function streamLink(stream: SerialPort | net.Socket, stats: { droppedBytes: number }): ByteLink {
  return {
    write(data) {
      if (stream.destroyed || !stream.writable) return;
      if (stream.writableLength > MAX_BACKLOG_BYTES) {
        stats.droppedBytes += data.length;
        return;
      }
      stream.write(data);
    },
    onData: (listener) => void stream.on('data', (chunk: Buffer) => listener(chunk)),
    onClose(listener) {
      let done = false;
      const once = (error?: Error) => {
        if (!done) listener(error);
        done = true;
      };
      stream.on('error', (e: Error) => once(e));
      stream.on('close', () => once());
    },
    close: () => new Promise<void>((resolve) => {
      if (stream instanceof net.Socket) stream.end(resolve);
      else if (stream.isOpen) stream.close(() => resolve());
      else resolve();
    }),
  };
}

function describeEvent(e: TrafficEvent): string {
  const secs = ((e.endMs - e.startMs) / 1000).toFixed(0);
  switch (e.kind) {
    case 'incoming':
      return `incoming from ${e.callerNumber}${e.callerName ? ` "${e.callerName}"` : ''} (${e.callerIdStandard}), answered after ${e.rings} ring(s), ${e.farEndHangup ? 'far end clears' : 'hangs up'}, ${secs} s`;
    case 'missed':
      return `missed call from ${e.callerNumber}${e.callerName ? ` "${e.callerName}"` : ''} (${e.callerIdStandard}), ${e.rings} rings`;
    case 'outgoing':
      return `outgoing call to ${e.dialledDigits}${e.reversedOnAnswer ? ', polarity reversal on answer' : ''}, ${secs} s`;
    case 'disconnection':
      return `line disconnected for ${secs} s`;
  }
}

/** Logs calls (traffic) or timeline entries (scenario) as the card's time reaches them. */
function callLogger(card: SimulatedLineCard, traffic: Traffic | null, scenario: Scenario | null): () => void {
  let loggedUntil = -1;
  const next = new Array<number>(traffic?.lines.length ?? 0).fill(0);
  return () => {
    const now = card.elapsedMs;
    traffic?.lines.forEach((line, ch) => {
      line.generateUntil(now);
      for (let e = line.events[next[ch]!]; e && e.startMs <= now; e = line.events[++next[ch]!]) log(`ch${ch}: ${describeEvent(e)}`);
    });
    for (const line of scenario?.lines ?? []) {
      for (const e of line.timeline) if (e.tMs > loggedUntil && e.tMs <= now) log(`ch${line.channel}: ${e.state} at ${e.tMs / 1000} s`);
    }
    loggedUntil = now;
  };
}

function parseE1Signalling(text: string | undefined, ports: number): E1Signalling[] {
  const given = text ? text.split(',') : [];
  for (const g of given) if (g !== 'pri' && g !== 'china-no1') throw new UsageError(`--e1-signalling takes pri or china-no1 per port, not '${g}'`);
  return Array.from({ length: ports }, (_, p) => (given[p] ?? given[given.length - 1] ?? 'pri') as E1Signalling);
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      board: { type: 'string' },
      scenario: { type: 'string' },
      device: { type: 'string' },
      'tcp-listen': { type: 'string' },
      seed: { type: 'string', default: '1' },
      continuous: { type: 'boolean', default: false },
      'crc-error-every': { type: 'string' },
      'garbage-every': { type: 'string' },
      'drop-audio-every': { type: 'string' },
      'e1-signalling': { type: 'string' },
      'e1-full': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.device === !values['tcp-listen']) throw new UsageError('give exactly one of --device <tty> or --tcp-listen <port>');
  const port = positiveInt('tcp-listen', values['tcp-listen']);
  const seed = positiveInt('seed', values.seed) ?? 1;
  const faults: CardFaults = {};
  for (const [flag, key] of [['crc-error-every', 'crcErrorEvery'], ['garbage-every', 'garbageEvery'], ['drop-audio-every', 'dropAudioEvery']] as const) {
    const n = positiveInt(flag, values[flag]);
    if (n) faults[key] = n;
  }

  const boardName = values.board ?? (values.scenario ? await scenarioBoard(values.scenario) : null) ?? 'sim';
  const board = await loadBoard(boardName);
  const channelCount = board.channels.analog;
  let scenario: Scenario | null = null;
  let traffic: Traffic | null = null;
  let sources: LineSource[];
  if (values.scenario) {
    scenario = await loadScenario(values.scenario, channelCount);
    sources = scenarioSources(scenario, channelCount);
  } else {
    traffic = generateTraffic({ seed, channelCount, continuous: values.continuous, epochMs: Date.now() });
    sources = traffic.lines;
  }

  const e1Count = board.capabilities.e1Recording ? board.channels.e1 : 0;
  const e1Signalling = parseE1Signalling(values['e1-signalling'], e1Count);
  const describeE1 = (port: number, c: E1SimCall) =>
    log(`e1 port ${port} ts${c.timeslot}: ${e1Signalling[port] ?? 'pri'} call from side ${c.from}, ${c.calling.digits || '?'} → ${c.called.digits}, ${c.outcome}`);
  const e1Ports = scenario
    ? Array.from({ length: e1Count }, (_, port) => new E1PortModel(scenario!.e1.find((p) => p.port === port) ?? { signalling: e1Signalling[port]! }))
    : e1TrafficPorts({ seed, signalling: e1Signalling, full: values['e1-full'], onCall: describeE1 });
  const card = new SimulatedLineCard({ clock: realClock, channelCount, sources, faults, seed, maxCatchUpMs: 5000, e1Ports });
  const stats = { droppedBytes: 0 };
  let where: string;
  if (values.device) {
    const serial = new SerialPort({ path: values.device, baudRate: board.linecard.transport === 'uart' ? board.linecard.baudRate : 3_000_000, autoOpen: false });
    await new Promise<void>((resolve, reject) => serial.open((e) => (e ? reject(new Error(`cannot open ${values.device}: ${e.message}`)) : resolve())));
    const link = streamLink(serial, stats);
    link.onClose((e) => {
      log(`device ${values.device} closed${e ? `: ${e.message}` : ''}`);
      process.exit(1);
    });
    card.attach(link);
    where = `device ${values.device}`;
  } else {
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      log(`host connected from ${socket.remoteAddress}:${socket.remotePort}`);
      card.attach(streamLink(socket, stats));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`cannot listen on TCP port ${port}: ${e.message}`)));
      server.listen(port, () => resolve());
    });
    where = `TCP port ${(server.address() as net.AddressInfo).port}`;
  }

  card.start();
  const source = scenario ? `scenario ${scenario.file}` : `${values.continuous ? 'continuous ' : ''}traffic, seed ${seed}`;
  log(`ready: ${card.model} firmware ${card.firmwareVersion}, ${channelCount} channels${e1Count ? `, ${e1Count} E1 ports` : ''} (board ${board.model}), ${source}, on ${where}`);
  const logCalls = callLogger(card, traffic, scenario);
  setInterval(logCalls, 250);
  logCalls();

  process.on('SIGUSR1', () => {
    card.setMute(!card.isMuted);
    log(card.isMuted ? 'muted: the card neither sends nor answers' : 'unmuted');
  });
  const shutdown = (signal: string) => {
    card.stop();
    log(`${signal}: stopped after ${(card.elapsedMs / 1000).toFixed(1)} s; sent ${card.sent.frames} frames, ${card.sent.bytes} bytes${stats.droppedBytes ? `, ${stats.droppedBytes} bytes dropped (no reader)` : ''}`);
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (scenario?.durationS) setTimeout(() => shutdown('scenario finished'), scenario.durationS * 1000);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    log(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (isRecorderError(e)) {
    log(e.message);
    process.exit(2);
  }
  log(`failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
