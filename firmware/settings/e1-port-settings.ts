/**
 * E1 trunk port settings (E1通道参数): whether the port is tapped, its
 * signalling (ISDN PRI or China No.1), which side of the tap hears the
 * network (exchange) and which the user (PBX), the timeslots recorded,
 * CRC-4 framing, and whether a call's two directions are stored as a stereo
 * file or mixed to mono. The settings file keeps only what differs from the
 * factory values, per port number.
 */
import { z } from 'zod';
import { definedOnly, patchSchema } from './patch-schema.ts';

export const E1_SIGNALLINGS = ['pri', 'china-no1'] as const;
export type E1SignallingKind = (typeof E1_SIGNALLINGS)[number];

/** Timeslots that carry voice on an E1 (TS0 frames, TS16 signals). */
export const E1_VOICE_TIMESLOTS: readonly number[] = Array.from({ length: 31 }, (_, i) => i + 1).filter((t) => t !== 16);

/** The timeslots of a range text such as `1-15,17-31` or `1,3,5-9`; null when it names a timeslot that carries no voice. */
export function parseTimeslotRanges(text: string): number[] | null {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return null;
    for (let t = from; t <= to; t++) {
      if (!E1_VOICE_TIMESLOTS.includes(t)) return null;
      out.add(t);
    }
  }
  return [...out].sort((a, b) => a - b);
}

export const e1PortSchema = z.object({
  enabled: z.boolean().default(true),
  signalling: z.enum(E1_SIGNALLINGS).default('pri'),
  /** What side a of the tap hears: the network (exchange) sending, or the user (PBX). */
  sideA: z.enum(['network', 'user']).default('network'),
  timeslots: z
    .string()
    .max(100)
    .refine((t) => parseTimeslotRanges(t) !== null, 'timeslot ranges such as 1-15,17-31 (timeslots 1-15 and 17-31 carry voice)')
    .default('1-15,17-31'),
  crc4: z.boolean().default(true),
  storage: z.enum(['stereo', 'mixed']).default('stereo'),
  /** The trunk's name, shown with its calls. */
  name: z.string().max(40).default(''),
});

export type E1PortConfig = z.infer<typeof e1PortSchema>;
export type E1PortPatch = Partial<E1PortConfig>;

export const e1PortPatchSchema = patchSchema(e1PortSchema);

/** Per port number, what differs from the factory values. */
export const e1PortsSettingsSchema = z.record(z.string().regex(/^\d{1,2}$/), patchSchema(e1PortSchema, false)).default({});

export const FACTORY_E1_PORT: Readonly<E1PortConfig> = Object.freeze(e1PortSchema.parse({}));

export function e1PortOf(ports: Readonly<Record<string, E1PortPatch>>, port: number): E1PortConfig {
  const set = ports[String(port)];
  return set ? { ...FACTORY_E1_PORT, ...definedOnly(set) } : { ...FACTORY_E1_PORT };
}

/** The fields of `config` that differ from the factory values: what the file keeps. */
export function e1PortDifferences(config: E1PortConfig): E1PortPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(config) as Array<keyof E1PortConfig>) if (config[key] !== FACTORY_E1_PORT[key]) out[key] = config[key];
  return out as E1PortPatch;
}
