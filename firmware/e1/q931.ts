/**
 * Q.931 message decoder (ITU-T Q.931 §4, EuroISDN / ETS 300 102 usage).
 *
 * Header: protocol discriminator 0x08, call reference (length 0..2 octets on a
 * PRI, 1 on a BRI; the flag is the top bit of the first octet: 0 from the side
 * that allocated the reference, 1 towards it), message type. Then information
 * elements: single-octet ones (shift, sending complete, more data, congestion
 * level, repeat indicator) and variable ones (identifier, length, contents).
 *
 * Decoded in codeset 0: bearer capability, channel identification, calling /
 * called party number, redirecting number, cause, progress indicator, display,
 * keypad facility, sending complete. Every other element (and every element of
 * another codeset, after a locking or non-locking shift) is kept by identifier
 * and skipped. A message that does not parse yields `{ ok: false, error }`;
 * the decoder never throws.
 */
import type { CauseInfo, NumberInfo } from './trunk-events.ts';
import {
  CAUSE_LOCATIONS,
  CAUSE_TEXTS,
  IE_NAMES,
  MESSAGE_NAMES,
  NUMBER_TYPES,
  NUMBERING_PLANS,
  PRESENTATIONS,
  PROGRESS_DESCRIPTIONS,
  SCREENINGS,
  TRANSFER_CAPABILITIES,
} from './q931-tables.ts';

export interface ChannelId {
  interface: 'basic' | 'primary';
  exclusive: boolean;
  dChannel: boolean;
  /** Timeslots (primary rate) or B-channel numbers (basic rate) named; empty for "any" or "no channel". */
  channels: number[];
  /** 'as-indicated' | 'any' | 'none' (basic: 'b1' / 'b2' are reported as channels). */
  selection: 'as-indicated' | 'any' | 'none';
}

export interface BearerCapability {
  transferCapability: string;
  transferMode: 'circuit' | 'packet';
  /** 'alaw' | 'ulaw' | other layer-1 protocol code. */
  layer1?: string;
}

export interface CauseIe extends CauseInfo {
  location: string;
}

export interface Q931Message {
  protocol: number;
  /** Call reference value without the flag; 0 is the global (dummy) reference, -1 the null (absent) one. */
  callRef: number;
  /** Call reference flag: false from the side that allocated the reference (the originator). */
  callRefFlag: boolean;
  callRefLength: number;
  messageType: number;
  name: string;
  bearer?: BearerCapability;
  channel?: ChannelId;
  calling?: NumberInfo;
  called?: NumberInfo;
  redirecting?: NumberInfo;
  cause?: CauseIe;
  progress?: { location: string; description: number; text: string };
  display?: string;
  keypad?: string;
  sendingComplete?: boolean;
  /** Identifiers (codeset << 8 | id) of elements present but not decoded. */
  otherIes: number[];
}

export type Q931Result = { ok: true; message: Q931Message } | { ok: false; error: string };

export const Q931_DISCRIMINATOR = 0x08;

export function messageName(type: number): string {
  return MESSAGE_NAMES[type] ?? `message type 0x${type.toString(16).padStart(2, '0')}`;
}

export function ieName(id: number): string {
  return IE_NAMES[id] ?? `element 0x${id.toString(16).padStart(2, '0')}`;
}

export function causeText(value: number): string {
  return CAUSE_TEXTS[value] ?? `cause ${value}`;
}

export function decodeQ931(bytes: Uint8Array): Q931Result {
  try {
    return decode(bytes);
  } catch (err) {
    return { ok: false, error: `malformed message: ${(err as Error).message}` };
  }
}

function decode(b: Uint8Array): Q931Result {
  if (b.length < 3) return { ok: false, error: 'shorter than a message header' };
  const protocol = b[0]!;
  if (protocol !== Q931_DISCRIMINATOR) return { ok: false, error: `protocol discriminator 0x${protocol.toString(16)} is not Q.931` };
  const crLen = b[1]! & 0x0f;
  if ((b[1]! & 0xf0) !== 0 || crLen > 3) return { ok: false, error: `bad call reference length octet 0x${b[1]!.toString(16)}` };
  if (b.length < 3 + crLen) return { ok: false, error: 'call reference cut short' };
  let callRef = crLen === 0 ? -1 : b[2]! & 0x7f;
  for (let i = 1; i < crLen; i++) callRef = callRef * 256 + b[2 + i]!;
  const callRefFlag = crLen > 0 && (b[2]! & 0x80) !== 0;
  let p = 2 + crLen;
  const messageType = b[p++]!;
  if (messageType === 0x00) return { ok: false, error: 'escape to nationally specific message type' };
  const msg: Q931Message = { protocol, callRef, callRefFlag, callRefLength: crLen, messageType, name: messageName(messageType), otherIes: [] };
  let codeset = 0;
  let nextCodeset = -1;
  while (p < b.length) {
    const id = b[p]!;
    const active = nextCodeset >= 0 ? nextCodeset : codeset;
    nextCodeset = -1;
    if (id & 0x80) {
      p++;
      const high = id & 0xf0;
      if (high === 0x90) {
        if (id & 0x08) nextCodeset = id & 0x07; // non-locking shift
        else codeset = id & 0x07; // locking shift
      } else if (id === 0xa1 && active === 0) msg.sendingComplete = true;
      else msg.otherIes.push((active << 8) | id);
      continue;
    }
    if (p + 1 >= b.length) return { ok: false, error: `element 0x${id.toString(16)} without its length` };
    const len = b[p + 1]!;
    const start = p + 2;
    if (start + len > b.length) return { ok: false, error: `${ieName(id)} runs past the end of the message (${len} octets)` };
    const body = b.subarray(start, start + len);
    p = start + len;
    if (active !== 0 || !decodeIe(msg, id, body)) msg.otherIes.push((active << 8) | id);
  }
  return { ok: true, message: msg };
}

/** Decodes one codeset-0 element into `msg`; false when it is not one this decoder reads. */
function decodeIe(msg: Q931Message, id: number, body: Uint8Array): boolean {
  switch (id) {
    case 0x04:
      if (body.length >= 2) msg.bearer = bearer(body);
      return true;
    case 0x08:
      msg.cause = cause(body) ?? msg.cause;
      return true;
    case 0x18:
      msg.channel = channelId(body) ?? msg.channel;
      return true;
    case 0x1e:
      if (body.length >= 2) {
        const description = body[1]! & 0x7f;
        msg.progress = {
          location: locationName(body[0]!),
          description,
          text: PROGRESS_DESCRIPTIONS[description] ?? `progress ${description}`,
        };
      }
      return true;
    case 0x28:
      msg.display = ia5(body);
      return true;
    case 0x2c:
      msg.keypad = ia5(body);
      return true;
    case 0x6c:
      msg.calling = partyNumber(body, true);
      return true;
    case 0x70:
      msg.called = partyNumber(body, false);
      return true;
    case 0x74:
      msg.redirecting = partyNumber(body, true);
      return true;
    default:
      return false;
  }
}

/** IA5 characters of an element; octets with the top bit set (a leading display-type or charset octet in some networks) are left out. */
function ia5(body: Uint8Array): string {
  let s = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
  }
  return s;
}

const locationName = (octet: number): string => CAUSE_LOCATIONS[octet & 0x0f] ?? `location ${octet & 0x0f}`;

function partyNumber(body: Uint8Array, withPresentation: boolean): NumberInfo {
  if (body.length === 0) return { digits: '' };
  const o3 = body[0]!;
  const info: NumberInfo = { digits: '', type: NUMBER_TYPES[(o3 >>> 4) & 7], plan: NUMBERING_PLANS[o3 & 0x0f] ?? `plan ${o3 & 0x0f}` };
  let i = 1;
  if ((o3 & 0x80) === 0 && body.length > 1) {
    const o3a = body[1]!;
    if (withPresentation) {
      info.presentation = PRESENTATIONS[(o3a >>> 5) & 3];
      info.screening = SCREENINGS[o3a & 3];
    }
    i = 2;
    // Redirecting number: octet 3b (reason for redirection) follows when 3a has no extension bit.
    if ((o3a & 0x80) === 0 && body.length > 2) i = 3;
  }
  info.digits = ia5(body.subarray(i));
  return info;
}

function bearer(body: Uint8Array): BearerCapability {
  const itc = body[0]! & 0x1f;
  const bc: BearerCapability = {
    transferCapability: TRANSFER_CAPABILITIES[itc] ?? `capability ${itc}`,
    transferMode: (body[1]! & 0x60) === 0x40 ? 'packet' : 'circuit',
  };
  let i = 2;
  while (i < body.length && (body[i - 1]! & 0x80) === 0) i++; // octet 4a/4b
  for (; i < body.length; i++) {
    const o = body[i]!;
    if ((o & 0x60) === 0x20) {
      const proto = o & 0x1f;
      bc.layer1 = proto === 2 ? 'ulaw' : proto === 3 ? 'alaw' : `layer1 protocol ${proto}`;
      break;
    }
  }
  return bc;
}

function cause(body: Uint8Array): CauseIe | undefined {
  if (body.length < 2) return undefined;
  let i = 1;
  if ((body[0]! & 0x80) === 0) i = 2; // octet 3a: recommendation
  if (i >= body.length) return undefined;
  const value = body[i]! & 0x7f;
  return { value, text: causeText(value), location: locationName(body[0]!) };
}

function channelId(body: Uint8Array): ChannelId | undefined {
  if (body.length < 1) return undefined;
  const o3 = body[0]!;
  const primary = (o3 & 0x20) !== 0;
  const sel = o3 & 3;
  const id: ChannelId = {
    interface: primary ? 'primary' : 'basic',
    exclusive: (o3 & 0x08) !== 0,
    dChannel: (o3 & 0x04) !== 0,
    channels: [],
    selection: sel === 0 ? 'none' : sel === 3 ? 'any' : 'as-indicated',
  };
  let i = 1;
  if (o3 & 0x40) {
    // Interface identifier present: skip its octets up to the one with the extension bit.
    while (i < body.length && (body[i]! & 0x80) === 0) i++;
    i++;
  }
  if (!primary) {
    if (sel === 1 || sel === 2) id.channels.push(sel);
    return id;
  }
  if (sel !== 1 || i >= body.length) return id;
  const o32 = body[i++]!;
  const map = (o32 & 0x10) !== 0;
  if (!map) {
    for (; i < body.length; i++) {
      id.channels.push(body[i]! & 0x7f);
      if (body[i]! & 0x80) break;
    }
  } else {
    // Slot map: the last octet holds timeslots 1..8 (bit 1 = timeslot 1), the one before 9..16, ...
    const octets = body.subarray(i);
    for (let k = 0; k < octets.length; k++) {
      const base = (octets.length - 1 - k) * 8;
      for (let bit = 0; bit < 8; bit++) if (octets[k]! & (1 << bit)) id.channels.push(base + bit + 1);
    }
    id.channels.sort((x, y) => x - y);
  }
  return id;
}
