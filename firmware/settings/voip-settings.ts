/**
 * VoIP recording settings (VoIP平台参数): the listeners (the phones' record
 * server and the SIP port of SIPREC), the RTP port range, the senders
 * allowed, stereo or mixed storage of two-party calls, the jitter delay and
 * the RTP silence timeout. Port 0 for a listener binds any free port (tests).
 */
import { z } from 'zod';
import { isAllowEntry } from '../voip/phone/allow-list.ts';
import { patchSchema } from './patch-schema.ts';

const port = z.number().int().min(0).max(65535);

export const voipSettingsSchema = z.object({
  /** VoIP recording on (the board must be licensed for it as well); off from the factory, so no port opens unasked. */
  enabled: z.boolean().default(false),
  /** Address the listeners and RTP sockets bind to. */
  bindAddress: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'an IPv4 address').default('0.0.0.0'),
  /** TCP port of the phones' record server. */
  phoneControlPort: port.default(5566),
  /** UDP/TCP port of the SIP listener (SIPREC). */
  sipPort: port.default(5060),
  /** SIPREC transports listened on. */
  sipUdp: z.boolean().default(true),
  sipTcp: z.boolean().default(true),
  /** Address written in SIPREC answers (SDP c=, Contact); empty: the bind address, else the box's first address. */
  sipAdvertisedAddress: z.union([z.literal(''), z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'an IPv4 address')]).default(''),
  /** Shortest SIP session-timer interval accepted, seconds (RFC 4028 Min-SE). */
  sipMinSessionExpires: z.number().int().min(90).max(86_400).default(90),
  rtpPortMin: z.number().int().min(1024).max(65535).default(20000),
  rtpPortMax: z.number().int().min(1024).max(65535).default(29999),
  /** Phones (MAC addresses) and senders (IPv4 addresses or subnets) allowed to record; empty: all. */
  allowedSenders: z.array(z.string().max(43).refine(isAllowEntry, 'a MAC address, an IPv4 address or a subnet such as 192.168.1.0/24')).max(256).default([]),
  /** Two-party calls: one party per stereo channel, or mixed to mono. */
  layout: z.enum(['stereo', 'mono']).default('stereo'),
  /** Jitter buffer delay, ms. */
  jitterMs: z.number().int().min(20).max(400).default(100),
  /** A call without RTP for this long ends (无声停止); 0: never. */
  silenceTimeoutS: z.number().int().min(0).max(3600).default(60),
});

export type VoipSettings = z.infer<typeof voipSettingsSchema>;
export const DEFAULT_VOIP_SETTINGS: Readonly<VoipSettings> = Object.freeze(voipSettingsSchema.parse({}));
export const voipPatchSchema = patchSchema(voipSettingsSchema);
export type VoipPatch = Partial<VoipSettings>;

/** Rules between fields; a message naming them, or null. */
export function voipRuleBroken(v: VoipSettings): string | null {
  if (v.rtpPortMin >= v.rtpPortMax) return `rtpPortMin (${v.rtpPortMin}) must be below rtpPortMax (${v.rtpPortMax})`;
  const inRange = (p: number) => p !== 0 && p >= v.rtpPortMin && p <= v.rtpPortMax;
  if (inRange(v.phoneControlPort) || inRange(v.sipPort)) return 'the listener ports must lie outside the RTP port range';
  return null;
}
