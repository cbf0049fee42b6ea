/**
 * A channel reference names one recordable channel of the box, whatever its
 * port: an analog line (port 0, channel 0..63), an E1 trunk's timeslot
 * (port 0..3, channel 1..31), or a VoIP extension or call slot (port 0..1,
 * channel up to 65535). Index entries and keys, record ids, folders, events
 * and the API all use it.
 */
export const PORT_TYPES = ['analog', 'e1', 'voip'] as const;

export type PortType = (typeof PORT_TYPES)[number];

export interface ChannelRef {
  portType: PortType;
  /** Physical port of its type: 0 for the analog line card, the E1 trunk (0..3), the VoIP interface. */
  port: number;
  /** Channel within the port: analog line, E1 timeslot, VoIP extension or call slot. */
  channel: number;
}

export const MAX_PORT = 63;
export const MAX_CHANNEL = 0xffff;

export function isValidRef(r: ChannelRef): boolean {
  return (
    PORT_TYPES.includes(r.portType) &&
    Number.isInteger(r.port) && r.port >= 0 && r.port <= MAX_PORT &&
    Number.isInteger(r.channel) && r.channel >= 0 && r.channel <= MAX_CHANNEL
  );
}

export function analogRef(channel: number): ChannelRef {
  return { portType: 'analog', port: 0, channel };
}

export function sameRef(a: ChannelRef, b: ChannelRef): boolean {
  return a.portType === b.portType && a.port === b.port && a.channel === b.channel;
}

/** Stable text form, e.g. `analog-0-7`, `e1-1-16`, `voip-0-8001`: map keys, URLs and topics. */
export function refKey(r: ChannelRef): string {
  return `${r.portType}-${r.port}-${r.channel}`;
}

/** The reference of a `refKey` text, or of a bare number (an analog channel); null when invalid. */
export function parseRefKey(text: string): ChannelRef | null {
  if (/^\d{1,5}$/.test(text)) {
    const r = analogRef(Number(text));
    return isValidRef(r) ? r : null;
  }
  const m = /^(analog|e1|voip)-(\d{1,2})-(\d{1,5})$/.exec(text);
  if (!m) return null;
  const r: ChannelRef = { portType: m[1] as PortType, port: Number(m[2]), channel: Number(m[3]) };
  return isValidRef(r) ? r : null;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The part of a record id and of a folder name that names the channel:
 * `07` for analog line 7 (as the first release wrote it), `E1.16` for
 * timeslot 16 of E1 trunk 1, `V0.8001` for extension 8001 on VoIP port 0.
 */
export function refTag(r: ChannelRef): string {
  if (r.portType === 'analog' && r.port === 0) return two(r.channel);
  const letter = r.portType === 'e1' ? 'E' : r.portType === 'voip' ? 'V' : 'A';
  return `${letter}${r.port}.${two(r.channel)}`;
}

/** The reference of a `refTag`; null when the text is not one. */
export function parseRefTag(tag: string): ChannelRef | null {
  let m = /^(\d{2,3})$/.exec(tag);
  if (m) {
    const r = analogRef(Number(m[1]));
    return isValidRef(r) ? r : null;
  }
  m = /^([AEV])(\d{1,2})\.(\d{2,5})$/.exec(tag);
  if (!m) return null;
  const portType: PortType = m[1] === 'E' ? 'e1' : m[1] === 'V' ? 'voip' : 'analog';
  const r: ChannelRef = { portType, port: Number(m[2]), channel: Number(m[3]) };
  return isValidRef(r) ? r : null;
}

/** A channel's folder under a day: `ch07` (analog), `e1-1-ts16`, `voip-0-8001`. */
export function refFolder(r: ChannelRef): string {
  if (r.portType === 'analog' && r.port === 0) return `ch${two(r.channel)}`;
  if (r.portType === 'e1') return `e1-${r.port}-ts${two(r.channel)}`;
  return `${r.portType}-${r.port}-${r.channel}`;
}
