/**
 * Decodes whole WAV recordings with the channel signal detector and prints
 * what it hears as JSON lines (the format of the DSP test vectors' scorer):
 *
 *   {"type":"dtmf","digit":"5","on_s":1.275,"off_s":1.325}
 *   {"type":"callerid","detector":"CLASS","t_s":1.1985,"raw_hex":"8020…","fields":{"number":"2015550123",…}}
 *   {"type":"callerid","detector":"CLIP-DTMF","t_s":1.9,"dtmf_string":"A0612345C","fields":{"number":"0612345"}}
 *   {"type":"tone","tone":"busy","t_s":4.2}
 *   {"type":"voice","active":true,"t_s":0.5}
 *   {"type":"summary","file":"x.wav","samples":13573,"duration_s":1.696625,…}
 *
 * Every DTMF tone is listed, caller-ID digits included. Caller ID: detector
 * CLASS (Bell 202), CLIP (V.23) or CLIP-DTMF; fields number, name,
 * datetime_mmddhhmm, and for a withheld number or name the reason as sent
 * (number_absence_reason 'P' / 'O' for FSK, the code digits for DTMF) with
 * number_absence / name_absence 'private' or 'unavailable'. Times are seconds
 * from the start of the file; t_s is when a caller-ID message completed, when
 * a recognised tone cadence began, when speech began or the silence that
 * ended it began (see channel-detector.ts).
 *
 *   dsp-decode FILE.wav               JSON lines on stdout
 *   dsp-decode --out DIR FILE.wav…    DIR/<name>.jsonl for each file
 *
 * Files must be 8 kHz mono (or the first channel is used) PCM, A-law or µ-law.
 * Exit status 1 when a file cannot be read or is not such a WAV, 2 on a usage error.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeWav } from './wav.ts';
import type { CallerIdMessage } from '../dsp/callerid-message.ts';
import { ChannelSignalDetector } from '../dsp/channel-detector.ts';

const SAMPLE_RATE = 8000;
const BLOCK = 160;
/** Silence fed after the file so tones and messages ending with it are reported. */
const FLUSH_MS = 1000;
const DETECTOR = { bell202: 'CLASS', v23: 'CLIP', dtmf: 'CLIP-DTMF' } as const;

class UsageError extends Error {}

const seconds = (ms: number) => Math.round(ms * 1000) / 1e6;

/** The reason for an absent number (0x04) or name (0x08) as the FSK message carries it. */
function fskReason(m: CallerIdMessage, param: 0x04 | 0x08): string | undefined {
  const raw = m.raw;
  if (m.format === 'sdmf') return param === 0x04 && raw.length === 11 ? String.fromCharCode(raw[10]!) : undefined;
  for (let at = 2; at + 2 <= raw.length; at += 2 + raw[at + 1]!) {
    if (raw[at] === param) return Buffer.from(raw.subarray(at + 2, at + 2 + raw[at + 1]!)).toString('latin1');
  }
  return undefined;
}

function callerIdLine(m: CallerIdMessage, atMs: number): Record<string, unknown> {
  const fields: Record<string, string> = {};
  if (m.number !== undefined) fields['number'] = m.number;
  if (m.name !== undefined) fields['name'] = m.name;
  if (m.datetime !== undefined) fields['datetime_mmddhhmm'] = m.datetime;
  const text = Buffer.from(m.raw).toString('latin1');
  if (m.numberAbsence) {
    fields['number_absence'] = m.numberAbsence;
    const reason = m.format === 'dtmf' ? text.slice(1, -1) : fskReason(m, 0x04);
    if (reason !== undefined) fields['number_absence_reason'] = reason;
  }
  if (m.nameAbsence) {
    fields['name_absence'] = m.nameAbsence;
    const reason = fskReason(m, 0x08);
    if (reason !== undefined) fields['name_absence_reason'] = reason;
  }
  const detector = DETECTOR[m.standard ?? (m.format === 'dtmf' ? 'dtmf' : 'bell202')];
  const body = m.format === 'dtmf' ? { dtmf_string: text } : { raw_hex: Buffer.from(m.raw).toString('hex') };
  return { type: 'callerid', detector, t_s: seconds(atMs), ...body, fields };
}

/** Decodes one WAV file's bytes into output lines. */
export function decodeRecording(file: Buffer, name: string): string[] {
  const wav = decodeWav(file);
  if (wav.sampleRate !== SAMPLE_RATE) throw new Error(`${name}: ${wav.sampleRate} Hz; only ${SAMPLE_RATE} Hz recordings can be decoded`);
  const lines: string[] = [];
  const out = (o: Record<string, unknown>) => lines.push(JSON.stringify(o));
  let digits = '';
  let callerIds = 0;
  const detector = new ChannelSignalDetector({
    onDigit() {},
    onDtmf(digit, onMs, offMs) {
      digits += digit;
      out({ type: 'dtmf', digit, on_s: seconds(onMs), off_s: seconds(offMs) });
    },
    onCallerId(m, atMs) {
      callerIds++;
      out(callerIdLine(m, atMs));
    },
    onTone: (tone, atMs) => out({ type: 'tone', tone, t_s: seconds(atMs) }),
    onVoice: (active, atMs) => out({ type: 'voice', active, t_s: seconds(atMs) }),
  });
  const pcm = wav.samples;
  for (let i = 0; i < pcm.length; i += BLOCK) detector.process(pcm.subarray(i, i + BLOCK), (i * 1000) / SAMPLE_RATE);
  const quiet = new Int16Array(BLOCK);
  for (let t = 0; t < FLUSH_MS; t += (BLOCK * 1000) / SAMPLE_RATE) detector.process(quiet, (pcm.length * 1000) / SAMPLE_RATE + t);
  out({
    type: 'summary',
    file: name,
    samples: pcm.length,
    duration_s: pcm.length / SAMPLE_RATE,
    dtmf_digits: digits,
    dtmf_count: digits.length,
    callerid_count: callerIds,
  });
  return lines;
}

function readRecording(path: string): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return decodeRecording(bytes, path);
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.startsWith(path) ? message : `${path}: not a usable WAV recording: ${message}`);
  }
}

function main(argv: string[]): void {
  let outDir: string | null = null;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      outDir = argv[++i] ?? null;
      if (!outDir) throw new UsageError('--out needs a directory');
    } else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: dsp-decode FILE.wav | dsp-decode --out DIR FILE.wav...\n');
      return;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new UsageError('no WAV file given');
  if (!outDir) {
    if (files.length > 1) throw new UsageError('one file at a time on stdout; use --out DIR for several');
    process.stdout.write(readRecording(files[0]!).join('\n') + '\n');
    return;
  }
  mkdirSync(outDir, { recursive: true });
  for (const f of files) writeFileSync(join(outDir, basename(f).replace(/\.wav$/i, '') + '.jsonl'), readRecording(f).join('\n') + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`dsp-decode: ${(e as Error).message}\n`);
    if (e instanceof UsageError) process.stderr.write('usage: dsp-decode FILE.wav | dsp-decode --out DIR FILE.wav...\n');
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}
