/**
 * Scenario files for the line-card simulator: what happens on each line and
 * what audio it carries.
 *
 *   {"board": "rds", "durationS": 90,
 *    "lines": [{"channel": 0, "audio": "line0.wav", "ring": {"onMs": 1000, "offMs": 4000},
 *               "timeline": [{"t": 0, "state": "onhook"}, {"t": 2, "state": "ringing"}, ...]}]}
 *
 * `t` is in seconds from the start, strictly ascending; the line is on hook
 * before its first entry. `audio` (8 kHz mono 16-bit PCM WAV, relative to the
 * scenario file) plays from t = 0 and is followed by silence. Channels not
 * listed stay on hook and silent.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { decodeWav } from '../audio/wav.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import {
  CHINA_RING_CADENCE,
  LINE_STATES,
  TimelineSource,
  idleSource,
  type LineSource,
  type LineState,
  type RingCadence,
  type TimelineEntry,
} from './line-model.ts';
import { e1PortScenarioSchema, e1PortScript } from './e1/e1-scenario.ts';
import type { E1PortScript } from './e1/e1-port-model.ts';

const lineSchema = z.strictObject({
  channel: z.number().int().min(0),
  audio: z.string().min(1).optional(),
  ring: z
    .strictObject({
      onMs: z.number().int().min(1),
      offMs: z.number().int().min(0),
    })
    .optional(),
  timeline: z
    .array(
      z.strictObject({
        t: z.number().min(0),
        state: z.enum(LINE_STATES as [LineState, ...LineState[]]),
      }),
    )
    .min(1),
});

function scenarioSchema(channelCount: number) {
  return z
    .strictObject({
      board: z.string().min(1).optional(),
      durationS: z.number().positive().optional(),
      lines: z.array(lineSchema),
      /** E1 ports (firmware/sim/e1/e1-scenario.ts). */
      e1: z.array(e1PortScenarioSchema).optional(),
    })
    .superRefine((s, ctx) => {
      const firstIndexOf = new Map<number, number>();
      s.lines.forEach((line, i) => {
        if (line.channel >= channelCount) {
          ctx.addIssue({
            code: 'custom',
            path: ['lines', i, 'channel'],
            message: `channel ${line.channel} is out of range (the board has ${channelCount} channels, 0-${channelCount - 1})`,
          });
        }
        const first = firstIndexOf.get(line.channel);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['lines', i, 'channel'],
            message: `duplicate channel ${line.channel} (also lines.${first}.channel)`,
          });
        } else firstIndexOf.set(line.channel, i);
        for (let k = 1; k < line.timeline.length; k++) {
          const prev = line.timeline[k - 1]!.t;
          if (line.timeline[k]!.t <= prev) {
            ctx.addIssue({
              code: 'custom',
              path: ['lines', i, 'timeline', k, 't'],
              message: `must be greater than the previous entry's t (${prev})`,
            });
          }
        }
      });
    });
}

export interface ScenarioLine {
  channel: number;
  timeline: TimelineEntry[];
  cadence: RingCadence;
  /** Decoded audio, or null for a silent line. */
  audio: Int16Array | null;
  /** Absolute path of the audio file, or null. */
  audioFile: string | null;
}

export interface Scenario {
  /** Absolute path of the scenario file (or the name it was given). */
  file: string;
  board: string | null;
  durationS: number | null;
  lines: ScenarioLine[];
  /** What the E1 ports carry, by port. */
  e1: Array<E1PortScript & { port: number }>;
}

function invalid(file: string, detail: string): RecorderError {
  return new RecorderError('SCENARIO_INVALID', `scenario ${file}: ${detail}`, { file });
}

function loadAudio(file: string, field: string, audioPath: string): Int16Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(audioPath);
  } catch (e) {
    throw invalid(file, `${field}: cannot read ${audioPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let wav: ReturnType<typeof decodeWav>;
  try {
    wav = decodeWav(bytes);
  } catch (e) {
    throw invalid(file, `${field}: ${audioPath} is not a readable WAV file (${(e as Error).message})`);
  }
  const { codec, sampleRate, channels } = wav.info;
  if (codec !== 'pcm16' || sampleRate !== 8000 || channels !== 1) {
    throw invalid(
      file,
      `${field}: ${audioPath} is ${codec} ${sampleRate} Hz ${channels} channel(s); scenario audio must be 8 kHz mono 16-bit PCM`,
    );
  }
  return wav.samples;
}

/**
 * Validates a scenario (parsed JSON or its text). `baseDir` resolves audio
 * paths; `file` names the scenario in errors (defaults to `baseDir`).
 */
export function parseScenario(json: unknown, baseDir: string, channelCount: number, file = baseDir): Scenario {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (e) {
      throw invalid(file, `not valid JSON (${(e as Error).message})`);
    }
  }
  const parsed = scenarioSchema(channelCount).safeParse(data);
  if (!parsed.success) throw invalid(file, describeZodError(parsed.error));
  const lines = parsed.data.lines.map((line, i): ScenarioLine => {
    const audioFile = line.audio === undefined ? null : path.resolve(baseDir, line.audio);
    return {
      channel: line.channel,
      timeline: line.timeline.map((e) => ({ tMs: Math.round(e.t * 1000), state: e.state })),
      cadence: line.ring ?? CHINA_RING_CADENCE,
      audio: audioFile === null ? null : loadAudio(file, `lines.${i}.audio`, audioFile),
      audioFile,
    };
  });
  const e1 = (parsed.data.e1 ?? []).map((p) => e1PortScript(p, baseDir, (field, detail) => invalid(file, `${field}: ${detail}`)));
  return { file, board: parsed.data.board ?? null, durationS: parsed.data.durationS ?? null, lines, e1 };
}

async function readScenarioText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw invalid(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Reads and validates a scenario file for a card with `channelCount` channels. */
export async function loadScenario(file: string, channelCount: number): Promise<Scenario> {
  const abs = path.resolve(file);
  return parseScenario(await readScenarioText(abs), path.dirname(abs), channelCount, abs);
}

/** The `board` a scenario file asks for, without validating the rest (null when absent or unreadable JSON). */
export async function scenarioBoard(file: string): Promise<string | null> {
  const abs = path.resolve(file);
  try {
    const board = (JSON.parse(await readScenarioText(abs)) as { board?: unknown }).board;
    return typeof board === 'string' && board.length > 0 ? board : null;
  } catch (e) {
    if (e instanceof RecorderError) throw e;
    return null;
  }
}

/** One LineSource per channel: the scenario's lines, idle lines elsewhere. */
export function scenarioSources(scenario: Scenario, channelCount: number): LineSource[] {
  const sources: LineSource[] = Array.from({ length: channelCount }, () => idleSource());
  for (const line of scenario.lines) {
    if (line.channel < channelCount) sources[line.channel] = new TimelineSource(line.timeline, line.audio, line.cadence);
  }
  return sources;
}
