/**
 * Decodes captured E1 timeslot-16 streams (and, for CAS, the voice timeslots)
 * with the recorder's E1 taps and prints JSON lines:
 *
 *   {"type":"frame","side":"a","closing_flag_octet":86,"hex":"02017f","fcs":"ok","lapd":"SABME sapi=0 tei=0 c/r=1 p/f=1"}
 *   {"type":"q931","side":"a","t_ms":517.1,"message":"SETUP","call_ref":1,"flag":0,"channel":[1],"calling":{…},"called":{…}}
 *   {"type":"line","side":"a","timeslot":1,"abcd":"0011","t_ms":500.3}
 *   {"type":"mf","side":"a","timeslot":1,"group":"forward","signal":6,"on":true,"t_ms":580}
 *   {"type":"event", …TrunkEvent (see firmware/e1/trunk-events.ts)}
 *   {"type":"call","timeslot":1,"originating_side":"a","calling":{…},"called":{…},"seized_ms":…,"answered_ms":…,"cleared_ms":…,"cleared_by":"a","outcome":"answered","cause":{…}}
 *   {"type":"stats", …counters}
 *
 *   e1-decode --pri FILE                      one direction's TS16 (side a)
 *   e1-decode --pri --side-a FILE --side-b FILE
 *   e1-decode --cas FILE [--voice-a TS=FILE.wav]…
 *   e1-decode --cas --side-a FILE --side-b FILE [--voice-a TS=FILE.wav]… [--voice-b TS=FILE.wav]…
 *   options: --bit-order auto|msb-first|lsb-first (default auto: found from the signalling), --chunk OCTETS (default 160)
 *
 * A TS16 file is one octet per E1 frame (8000 a second). Voice files are
 * 8 kHz A-law WAV, sample n at the time of octet n. Without --voice-*, a CAS
 * file named …ts16_cas_<NAME>.bin takes the voice of <NAME>_tsNN.wav beside it.
 * Times (t_ms and the call times) are milliseconds from the start of the files.
 * Exit status 1 when a file cannot be read, 2 on a usage error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseWavHeader } from '../audio/wav.ts';
import { createPriTap } from '../e1/pri-tap.ts';
import { createCasTap } from '../e1/r2-tap.ts';
import type { TrunkEvent, TrunkSide } from '../e1/trunk-events.ts';

class UsageError extends Error {}

interface Args {
  mode: 'pri' | 'cas';
  files: Partial<Record<TrunkSide, string>>;
  voice: Record<TrunkSide, Map<number, string>>;
  bitOrder: 'auto' | 'msb-first' | 'lsb-first';
  chunk: number;
}

function parseArgs(argv: string[]): Args {
  let mode: 'pri' | 'cas' | undefined;
  const args: Args = { mode: 'pri', files: {}, voice: { a: new Map(), b: new Map() }, bitOrder: 'auto', chunk: 160 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--pri' || a === '--cas') {
      if (mode) throw new UsageError('give one of --pri or --cas');
      mode = a === '--pri' ? 'pri' : 'cas';
      if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args.files.a = argv[++i]!;
    } else if (a === '--side-a') args.files.a = value();
    else if (a === '--side-b') args.files.b = value();
    else if (a === '--voice-a' || a === '--voice-b') {
      const m = /^(\d+)=(.+)$/.exec(value());
      if (!m || +m[1]! < 1 || +m[1]! > 31 || +m[1]! === 16) throw new UsageError(`${a} takes TIMESLOT=FILE.wav (timeslot 1..15, 17..31)`);
      args.voice[a === '--voice-a' ? 'a' : 'b'].set(+m[1]!, m[2]!);
    } else if (a === '--bit-order') {
      const v = value();
      if (v !== 'auto' && v !== 'msb-first' && v !== 'lsb-first') throw new UsageError('--bit-order takes auto, msb-first or lsb-first');
      args.bitOrder = v;
    } else if (a === '--chunk') {
      args.chunk = Number(value());
      if (!Number.isInteger(args.chunk) || args.chunk < 1) throw new UsageError('--chunk takes a whole number of octets');
    } else if (!a.startsWith('--') && !args.files.a) args.files.a = a;
    else throw new UsageError(`unknown argument ${a}`);
  }
  if (!mode) throw new UsageError('give --pri or --cas');
  if (!args.files.a && !args.files.b) throw new UsageError('no TS16 file given');
  args.mode = mode;
  return args;
}

/** Voice files beside a CAS TS16 file named …ts16_cas_<NAME>.bin: <NAME>_tsNN.wav. */
function voiceBeside(file: string): Map<number, string> {
  const found = new Map<number, string>();
  const m = /ts16_cas_(.+)\.bin$/.exec(basename(file));
  if (!m) return found;
  const dir = dirname(file);
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const v = new RegExp(`^${m[1]!.replace(/[^\w-]/g, '\\$&')}_ts(\\d\\d)\\.wav$`).exec(name);
    if (v) found.set(Number(v[1]), join(dir, name));
  }
  return found;
}

function readAlaw(file: string): Uint8Array {
  const buf = readFileSync(file);
  const info = parseWavHeader(buf, buf.length);
  if (info.codec !== 'alaw' || info.sampleRate !== 8000 || info.channels !== 1) throw new Error(`${file}: not an 8 kHz mono A-law WAV`);
  return buf.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
}

const r1 = (n: number) => Math.round(n * 1000) / 1000;

interface CallRow {
  timeslot: number;
  originating_side: TrunkSide;
  call_ref?: number;
  calling?: unknown;
  called?: unknown;
  seized_ms: number;
  alerting_ms?: number;
  answered_ms?: number;
  cleared_ms?: number;
  cleared_by?: string;
  outcome?: string;
  cause?: unknown;
}

export function decodeFiles(args: Args, print: (line: object) => void): void {
  const sides = (['a', 'b'] as const).filter((s) => args.files[s]);
  const streams = new Map(sides.map((s) => [s, readFileSync(args.files[s]!)]));
  const open = new Map<number, CallRow>();
  const onEvent = (e: TrunkEvent) => {
    print({ ...e, type: 'event', event: e.type, at: r1(e.at) });
    if (e.type === 'signalling') return;
    if (e.type === 'seized') {
      const row: CallRow = { timeslot: e.timeslot, originating_side: e.originatingSide, call_ref: e.callRef, calling: e.calling, called: e.called, seized_ms: r1(e.at) };
      open.set(e.timeslot, row);
      return;
    }
    const row = open.get(e.timeslot);
    if (!row) return;
    if (e.type === 'numbers') {
      row.calling = e.calling ?? row.calling;
      row.called = e.called ?? row.called;
    } else if (e.type === 'alerting') row.alerting_ms = r1(e.at);
    else if (e.type === 'answered') row.answered_ms = r1(e.at);
    else if (e.type === 'cleared') {
      Object.assign(row, { cleared_ms: r1(e.at), cleared_by: e.clearedBy, outcome: e.outcome, cause: e.cause });
      print({ type: 'call', ...row });
      open.delete(e.timeslot);
    }
  };
  const length = Math.max(...[...streams.values()].map((s) => s.length));
  let stats: object;
  if (args.mode === 'pri') {
    const tap = createPriTap({
      lineBitOrder: args.bitOrder,
      observer: {
        frame: (side, f) => print({ type: 'frame', side, closing_flag_octet: f.closingFlagOctet, hex: Buffer.from(f.bytes).toString('hex'), fcs: f.fcsOk ? 'ok' : 'bad' }),
        message: (side, m, at) => print({ type: 'q931', side, t_ms: r1(at), message: m.name, call_ref: m.callRef, flag: m.callRefFlag ? 1 : 0, channel: m.channel?.channels, exclusive: m.channel?.exclusive, calling: m.calling, called: m.called, cause: m.cause, progress: m.progress?.description, display: m.display, sending_complete: m.sendingComplete }),
        error: (side, layer, error, at) => print({ type: 'error', side, layer, error, t_ms: r1(at) }),
      },
    });
    for (let i = 0; i < length; i += args.chunk) {
      const at = Math.min(i + args.chunk, length) / 8;
      for (const [side, data] of streams) tap.push(side, data.subarray(i, i + args.chunk), at).forEach(onEvent);
    }
    tap.tick(length / 8 + 1000).forEach(onEvent);
    stats = tap.stats();
  } else {
    const voices = new Map<string, { side: TrunkSide; ts: number; data: Uint8Array }>();
    for (const side of sides) {
      const given = args.voice[side].size ? args.voice[side] : voiceBeside(args.files[side]!);
      for (const [ts, file] of given) voices.set(`${side}${ts}`, { side, ts, data: readAlaw(file) });
    }
    const tap = createCasTap({
      lineBitOrder: args.bitOrder,
      observer: {
        line: (side, c) => print({ type: 'line', side, timeslot: c.timeslot, abcd: c.abcd.toString(2).padStart(4, '0'), t_ms: r1(c.at) }),
        tone: (side, timeslot, group, signal, on, at) => print({ type: 'mf', side, timeslot, group, signal, on, t_ms: r1(at) }),
      },
    });
    for (let i = 0; i < length; i += args.chunk) {
      const at = Math.min(i + args.chunk, length) / 8;
      for (const [side, data] of streams) tap.pushSignalling(side, data.subarray(i, i + args.chunk), at).forEach(onEvent);
      for (const v of voices.values()) if (i < v.data.length) tap.pushVoice(v.side, v.ts, v.data.subarray(i, i + args.chunk), Math.min(i + args.chunk, v.data.length) / 8).forEach(onEvent);
    }
    tap.tick(length / 8 + 1000).forEach(onEvent);
    stats = tap.stats();
  }
  for (const row of open.values()) print({ type: 'call', ...row });
  print({ type: 'stats', ...stats });
}

export function main(argv: string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`e1-decode: ${(err as Error).message}\nusage: e1-decode --pri|--cas FILE | --pri|--cas --side-a FILE --side-b FILE [--bit-order auto|msb-first|lsb-first] [--voice-a TS=FILE.wav]… [--voice-b TS=FILE.wav]…\n`);
    return 2;
  }
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0); // the reader stopped (e.g. | head)
    throw err;
  });
  try {
    decodeFiles(args, (line) => process.stdout.write(JSON.stringify(line) + '\n'));
    return 0;
  } catch (err) {
    process.stderr.write(`e1-decode: ${(err as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
