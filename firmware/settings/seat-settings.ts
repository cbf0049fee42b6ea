/**
 * Cloud seats (云座席, manual 3.11): one seat account per channel, for the
 * agent who answers that line. A seat has an account and password, a name
 * and line number, a monitored channel, a group (班/组号 0–31), a level
 * (普通座席 agent, 班长座席 team lead, 经理座席 manager) and three rights,
 * each over its own channel, its group's channels or all channels:
 * sync (允许同步: recording metadata and channel state), fetch (允许调取:
 * playing and downloading audio) and monitor (允许监听: live listening).
 * The level caps every right: an agent reaches its own channel at most, a
 * team lead its group. Only what differs from the factory values is kept.
 */
import { z } from 'zod';
import { patchSchema } from './patch-schema.ts';

export const SEAT_LEVELS = ['agent', 'lead', 'manager'] as const;
export type SeatLevel = (typeof SEAT_LEVELS)[number];
export const SEAT_REACH = ['own', 'group', 'all'] as const;
export type SeatReach = (typeof SEAT_REACH)[number];
export const SEAT_RIGHTS = ['sync', 'fetch', 'monitor'] as const;
export type SeatRight = (typeof SEAT_RIGHTS)[number];
/** When the seat's screen pops: as the manual says (on ringing for 铃流控 channels, else on answer), or always on one. */
export const POP_TRIGGERS = ['auto', 'ring', 'answer'] as const;
export type PopTrigger = (typeof POP_TRIGGERS)[number];

export const MAX_GROUP = 31;
/** Live listeners of one channel at most (seats and administrators together). */
export const MAX_LISTENERS_PER_CHANNEL = 4;

const refText = z.string().regex(/^(analog|e1|voip)-\d{1,2}-\d{1,5}$/, 'a channel reference such as analog-0-7');

export const seatSchema = z.object({
  /** 座席开关 */
  enabled: z.boolean().default(false),
  /** 座席账号: 1–32 letters, digits or `_ . @ -`; unique among seats. Empty: the seat has no account yet. */
  account: z.union([z.literal(''), z.string().regex(/^[A-Za-z0-9_.@-]{1,32}$/, '1–32 letters, digits or _ . @ -')]).default(''),
  /** The password's scrypt hash (accounts/password.ts); empty: not set, the seat cannot sign in. */
  passwordHash: z.string().max(200).default(''),
  /** 通道名称 */
  name: z.string().max(32).default(''),
  /** 线路号码 shown to the seat (the channel's own line number when empty). */
  lineNumber: z.string().max(32).default(''),
  /** 监听通道: another channel whose calls also count as this seat's own (screen pop, own recordings); empty: none. */
  monitoredRef: z.union([z.literal(''), refText]).default(''),
  /** 班/组号 */
  group: z.number().int().min(0).max(MAX_GROUP).default(0),
  /** 允许同步 */
  sync: z.enum(SEAT_REACH).default('own'),
  /** 允许调取 */
  fetch: z.enum(SEAT_REACH).default('own'),
  /** 允许监听 */
  monitor: z.enum(SEAT_REACH).default('own'),
  /** 等级 */
  level: z.enum(SEAT_LEVELS).default('agent'),
  popOn: z.enum(POP_TRIGGERS).default('auto'),
});

export type SeatConfig = z.infer<typeof seatSchema>;
export const FACTORY_SEAT: Readonly<SeatConfig> = Object.freeze(seatSchema.parse({}));
export const seatPatchSchema = patchSchema(seatSchema);
export type SeatPatch = Partial<SeatConfig>;
/** What the settings file keeps per channel: the fields that differ from the factory values. */
export const seatOverrideSchema = patchSchema(seatSchema, false);

/** The widest reach a level allows. */
const LEVEL_CAP: Record<SeatLevel, SeatReach> = { agent: 'own', lead: 'group', manager: 'all' };

/** A right's reach, capped by the level. */
export function effectiveReach(seat: Pick<SeatConfig, SeatRight | 'level'>, right: SeatRight): SeatReach {
  const asked = seat[right];
  const cap = LEVEL_CAP[seat.level];
  return SEAT_REACH.indexOf(asked) <= SEAT_REACH.indexOf(cap) ? asked : cap;
}

export function seatDifferences(config: SeatConfig): SeatPatch {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(config) as Array<keyof SeatConfig>) if (config[k] !== FACTORY_SEAT[k]) out[k] = config[k];
  return out as SeatPatch;
}
