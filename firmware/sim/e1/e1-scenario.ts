/**
 * The `e1` part of a simulator scenario: what each tapped E1 port carries.
 *
 *   "e1": [{"port": 0, "signalling": "pri", "networkSide": "a",
 *           "calls": [{"timeslot": 5, "from": "a", "at": 1, "calling": "13912345678", "callingType": "national",
 *                      "called": "88776655", "outcome": "answered", "ringS": 1, "talkS": 4, "clearedBy": "b",
 *                      "audioA": "caller.wav", "audioB": "callee.wav"}],
 *           "alarms": [{"side": "b", "kind": "los", "from": 10, "to": 12}],
 *           "replay": [{"side": "a", "at": 0, "ts16": "ts16_hdlc_net2user.bin", "voice": [{"timeslot": 1, "wav": "AtoB_ts01.wav"}]}]}]
 *
 * Times in seconds from the start. `signalling` is `pri` (ISDN PRI, TS16 as
 * the D-channel) or `china-no1` (CAS line signals and MFC-R2). `audioA` /
 * `audioB` (8 kHz mono WAV, PCM or A-law) is what side a / side b sends after
 * answer. `outcome` is answered, busy, no-answer or failed; `cause` the Q.850
 * cause of an unanswered PRI call. Replays put a recorded TS16 stream (one
 * octet per frame) and A-law voice in place of the generated ones.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { decodeWav } from '../../audio/wav.ts';
import { alawEncode } from '../../dsp/g711.ts';
import { NUMBER_TYPES } from './q931-builder.ts';
import type { E1PortScript, E1SimCall } from './e1-port-model.ts';

const side = z.enum(['a', 'b']);
const voiceTimeslot = z.number().int().min(1).max(31).refine((t) => t !== 16, 'timeslot 16 carries the signalling');

const callSchema = z.strictObject({
  timeslot: voiceTimeslot,
  from: side,
  at: z.number().min(0),
  calling: z.string().regex(/^\d{0,24}$/),
  callingType: z.enum(NUMBER_TYPES).optional(),
  callingRestricted: z.boolean().optional(),
  called: z.string().regex(/^\d{1,24}$/),
  calledType: z.enum(NUMBER_TYPES).optional(),
  outcome: z.enum(['answered', 'busy', 'no-answer', 'failed']).default('answered'),
  ringS: z.number().min(0).max(600).default(2),
  talkS: z.number().min(0).max(7200).default(10),
  clearedBy: side.optional(),
  cause: z.number().int().min(1).max(127).optional(),
  audioA: z.string().min(1).optional(),
  audioB: z.string().min(1).optional(),
});

export const e1PortScenarioSchema = z.strictObject({
  port: z.number().int().min(0).max(15),
  signalling: z.enum(['pri', 'china-no1']).default('pri'),
  networkSide: side.default('a'),
  calls: z.array(callSchema).default([]),
  alarms: z
    .array(z.strictObject({ side: z.enum(['a', 'b', 'both']), kind: z.enum(['los', 'ais', 'lof', 'lomf', 'rai']), from: z.number().min(0), to: z.number().min(0) }))
    .default([]),
  replay: z
    .array(z.strictObject({ side, at: z.number().min(0), ts16: z.string().min(1), voice: z.array(z.strictObject({ timeslot: voiceTimeslot, wav: z.string().min(1) })).default([]) }))
    .default([]),
});

export type E1PortScenario = z.infer<typeof e1PortScenarioSchema>;

/** What a scenario port becomes; `read` reads a file relative to the scenario and names it in errors. */
export function e1PortScript(p: E1PortScenario, baseDir: string, fail: (field: string, detail: string) => Error): E1PortScript & { port: number } {
  const read = (field: string, file: string): Buffer => {
    const abs = path.resolve(baseDir, file);
    try {
      return readFileSync(abs);
    } catch (e) {
      throw fail(field, `cannot read ${abs} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  const pcm = (field: string, file: string): Int16Array => {
    try {
      const wav = decodeWav(read(field, file));
      if (wav.sampleRate !== 8000 || wav.info.channels !== 1) throw new Error(`${wav.sampleRate} Hz, ${wav.info.channels} channel(s); 8 kHz mono needed`);
      return wav.samples;
    } catch (e) {
      throw fail(field, `${file}: ${(e as Error).message}`);
    }
  };
  const calls = p.calls.map((c, i): E1SimCall => {
    const f = `e1.port${p.port}.calls.${i}`;
    const audio: E1SimCall['audio'] = {};
    if (c.audioA) audio.a = pcm(`${f}.audioA`, c.audioA);
    if (c.audioB) audio.b = pcm(`${f}.audioB`, c.audioB);
    return {
      timeslot: c.timeslot, from: c.from, atMs: Math.round(c.at * 1000),
      calling: { digits: c.calling, type: c.callingType, restricted: c.callingRestricted },
      called: { digits: c.called, type: c.calledType },
      outcome: c.outcome, ringMs: Math.round(c.ringS * 1000), talkMs: Math.round(c.talkS * 1000),
      clearedBy: c.clearedBy ?? c.from, cause: c.cause, audio,
    };
  });
  return {
    port: p.port,
    signalling: p.signalling,
    networkSide: p.networkSide,
    calls,
    alarms: p.alarms.map((a) => ({ side: a.side, kind: a.kind, fromMs: Math.round(a.from * 1000), toMs: Math.round(a.to * 1000) })),
    replays: p.replay.map((r, i) => ({
      side: r.side,
      atMs: Math.round(r.at * 1000),
      ts16: new Uint8Array(read(`e1.port${p.port}.replay.${i}.ts16`, r.ts16)),
      voice: r.voice.map((v, k) => ({ timeslot: v.timeslot, alaw: alawEncode(pcm(`e1.port${p.port}.replay.${i}.voice.${k}`, v.wav)) })),
    })),
  };
}
