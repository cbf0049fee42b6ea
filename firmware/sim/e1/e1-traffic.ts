/**
 * Generated traffic on the simulated E1 ports when no scenario is given:
 * seeded, planned call by call as time goes on, in both directions, on every
 * voice timeslot. Calls are mostly answered (a few busy, unanswered or
 * failed), ring 1-6 s and talk 5-90 s with speech-like audio each way,
 * separated by idle gaps of 2-40 s per timeslot. With `full` load every
 * timeslot is in an answered call all the time (calls back to back): 120
 * timeslots recording on 4 ports, for benchmarks.
 */
import { prng, speechLike } from '../signals.ts';
import { E1_VOICE_TIMESLOTS } from '../../settings/e1-port-settings.ts';
import { E1PortModel, type E1Side, type E1Signalling, type E1SimCall, type SimCallOutcome } from './e1-port-model.ts';

export interface E1TrafficOptions {
  seed: number;
  /** Signalling of each port (its length is the number of ports). */
  signalling: E1Signalling[];
  /** Side of the network on every port (default a). */
  networkSide?: E1Side;
  full?: boolean;
  /** Logs each call as it is planned. */
  onCall?: (port: number, call: E1SimCall) => void;
}

const CLIP_S = 12;

export function e1TrafficPorts(o: E1TrafficOptions): E1PortModel[] {
  const rand = prng(o.seed ^ 0xe1e1);
  const clips = Array.from({ length: 6 }, (_, i) => speechLike(CLIP_S, o.seed * 31 + i, -18));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const digits = (n: number, lead = '') => lead + Array.from({ length: n - lead.length }, () => Math.floor(rand() * 10)).join('');
  return o.signalling.map((signalling, port) => {
    const nextAt = new Map<number, number>(E1_VOICE_TIMESLOTS.map((ts) => [ts, o.full ? 200 + ts * 30 : 500 + Math.floor(rand() * 20_000)]));
    return new E1PortModel({
      signalling,
      networkSide: o.networkSide ?? 'a',
      feed(model, startMs) {
        for (const [ts, at] of nextAt) {
          if (at > startMs + 40) continue;
          const r = rand();
          const outcome: SimCallOutcome = o.full || r < 0.8 ? 'answered' : r < 0.88 ? 'busy' : r < 0.96 ? 'no-answer' : 'failed';
          const from: E1Side = rand() < 0.5 ? 'a' : 'b';
          const call: E1SimCall = {
            timeslot: ts, from, atMs: Math.max(at, startMs),
            calling: { digits: rand() < 0.5 ? digits(11, '13') : digits(8, '6'), type: 'national' },
            called: { digits: rand() < 0.5 ? digits(8, '8') : digits(11, '15'), type: 'unknown' },
            outcome, ringMs: o.full ? 1000 : 1000 + Math.floor(rand() * 5000),
            talkMs: o.full ? 60_000 + Math.floor(rand() * 60_000) : 5000 + Math.floor(rand() * rand() * 85_000),
            clearedBy: rand() < 0.5 ? 'a' : 'b',
            audio: { a: pick(clips), b: pick(clips) }, loopAudio: true,
          };
          const end = model.addCall(call);
          o.onCall?.(port, call);
          nextAt.set(ts, end + (o.full ? 500 : 2000 + Math.floor(rand() * 38_000)));
        }
      },
    });
  });
}
