/**
 * Line-card link messages (see docs/linecard-protocol.md). A frame, before SLIP
 * framing, is: type (1 byte) | payload | CRC-16/CCITT-FALSE of type+payload (2 bytes, big-endian).
 */
import { crc16 } from './crc16.ts';

export const PROTOCOL_VERSION = 1;

export const MessageType = {
  Hello: 0x01,
  LineStatus: 0x02,
  Audio: 0x03,
  Ack: 0x04,
  E1Audio: 0x05,
  E1Status: 0x06,
  Identify: 0x80,
  Configure: 0x81,
  Reset: 0x82,
  Ping: 0x83,
  E1Configure: 0x84,
} as const;

/** E1: octets of one timeslot in one 20 ms block (160 frames of 125 µs). */
export const E1_BLOCK_FRAMES = 160;
export const E1_TIMESLOTS = 32;
/** At most this many timeslots in one E1_AUDIO frame (keeps a frame under 4096 bytes). */
export const E1_MAX_TIMESLOTS_PER_FRAME = 16;

/** Port alarm bits of E1_STATUS, per side (receiver) of a port. */
export const E1Alarm = { Los: 1, Ais: 2, Lof: 4, Lomf: 8, Rai: 16 } as const;
export const E1_ALARM_BITS = 0x1f;

export const AudioCodec = { Alaw: 0, Ulaw: 1, Linear16: 2 } as const;
export type AudioCodecId = (typeof AudioCodec)[keyof typeof AudioCodec];

export const AckStatus = { Ok: 0, BadChannel: 1, BadParameter: 2, UnknownCommand: 3 } as const;
export type AckStatusId = (typeof AckStatus)[keyof typeof AckStatus];

export interface HelloMessage {
  type: 'hello';
  protocolVersion: number;
  channelCount: number;
  audioCodec: AudioCodecId;
  model: string;
  firmwareVersion: string;
  /** E1 ports the card taps (both directions of each); absent on a card without any. */
  e1Ports?: number;
}

export interface LineStatusEntry {
  channel: number;
  /** Line DC voltage in volts (0.1 V resolution), negative when polarity is reversed. */
  voltage: number;
  /** Ring AC present. */
  ringing: boolean;
}

export interface LineStatusMessage {
  type: 'lineStatus';
  entries: LineStatusEntry[];
}

export interface AudioMessage {
  type: 'audio';
  channel: number;
  codec: AudioCodecId;
  seq: number;
  samples: Buffer;
}

export interface AckMessage {
  type: 'ack';
  seq: number;
  status: AckStatusId;
}

/** 0 = side a, 1 = side b: the card's two receivers on a tapped trunk. */
export type E1SideId = 0 | 1;

/**
 * Some timeslots of one side of an E1 port for one 20 ms block, timeslot-major:
 * `count` runs of 160 octets, timeslot `first` first. Every frame of one block
 * (both sides, all timeslots) carries the same `seq`.
 */
export interface E1AudioMessage {
  type: 'e1Audio';
  port: number;
  side: E1SideId;
  seq: number;
  first: number;
  count: number;
  octets: Buffer;
}

export interface E1StatusEntry {
  port: number;
  side: E1SideId;
  /** E1Alarm bits. */
  alarms: number;
  /** Controlled frame slips since power-up, modulo 65536. */
  slips: number;
  /** CRC-4 block errors since power-up, modulo 65536 (0 with CRC-4 off). */
  crc4Errors: number;
}

export interface E1StatusMessage {
  type: 'e1Status';
  entries: E1StatusEntry[];
}

export type CardMessage = HelloMessage | LineStatusMessage | AudioMessage | AckMessage | E1AudioMessage | E1StatusMessage;

export interface IdentifyCommand { type: 'identify'; seq: number }
export interface ResetCommand { type: 'reset'; seq: number }
export interface PingCommand { type: 'ping'; seq: number }
export interface ConfigureCommand {
  type: 'configure';
  seq: number;
  channel: number;
  audioEnabled: boolean;
  codec: AudioCodecId;
  gainDb: number;
}

/** Turns an E1 port's stream on or off and sets its framing. */
export interface E1ConfigureCommand {
  type: 'e1Configure';
  seq: number;
  port: number;
  enabled: boolean;
  crc4: boolean;
}

export type HostCommand = IdentifyCommand | ResetCommand | PingCommand | ConfigureCommand | E1ConfigureCommand;
export type AnyMessage = CardMessage | HostCommand;

export type DecodeFailure = { error: 'short' | 'crc' | 'unknown-type' | 'bad-length' | 'bad-value'; detail: string };

function withCrc(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length + 2);
  body.copy(out, 0);
  out.writeUInt16BE(crc16(body), body.length);
  return out;
}

function ascii(s: string): Buffer {
  const b = Buffer.from(s, 'latin1');
  return b.subarray(0, 255);
}

/** Encodes a message into an unframed frame (type | payload | CRC). */
export function encodeMessage(m: AnyMessage): Buffer {
  switch (m.type) {
    case 'hello': {
      const model = ascii(m.model);
      const fw = ascii(m.firmwareVersion);
      const trailer = m.e1Ports ? 1 : 0;
      const b = Buffer.alloc(1 + 1 + 2 + 1 + 1 + model.length + 1 + fw.length + trailer);
      let o = b.writeUInt8(MessageType.Hello, 0);
      o = b.writeUInt8(m.protocolVersion, o);
      o = b.writeUInt16BE(m.channelCount, o);
      o = b.writeUInt8(m.audioCodec, o);
      o = b.writeUInt8(model.length, o);
      o += model.copy(b, o);
      o = b.writeUInt8(fw.length, o);
      o += fw.copy(b, o);
      if (trailer) b.writeUInt8(m.e1Ports!, o);
      return withCrc(b);
    }
    case 'lineStatus': {
      const b = Buffer.alloc(2 + 4 * m.entries.length);
      b[0] = MessageType.LineStatus;
      b[1] = m.entries.length;
      let o = 2;
      for (const e of m.entries) {
        o = b.writeUInt8(e.channel, o);
        o = b.writeInt16BE(Math.max(-32768, Math.min(32767, Math.round(e.voltage * 10))), o);
        o = b.writeUInt8(e.ringing ? 1 : 0, o);
      }
      return withCrc(b);
    }
    case 'audio': {
      const b = Buffer.allocUnsafe(5 + m.samples.length + 2);
      b[0] = MessageType.Audio;
      b[1] = m.channel;
      b[2] = m.codec;
      b.writeUInt16BE(m.seq & 0xffff, 3);
      m.samples.copy(b, 5);
      b.writeUInt16BE(crc16(b, 0, 5 + m.samples.length), 5 + m.samples.length);
      return b;
    }
    case 'e1Audio': {
      const b = Buffer.allocUnsafe(7 + m.octets.length + 2);
      b[0] = MessageType.E1Audio;
      b[1] = m.port;
      b[2] = m.side;
      b.writeUInt16BE(m.seq & 0xffff, 3);
      b[5] = m.first;
      b[6] = m.count;
      m.octets.copy(b, 7);
      b.writeUInt16BE(crc16(b, 0, 7 + m.octets.length), 7 + m.octets.length);
      return b;
    }
    case 'e1Status': {
      const b = Buffer.alloc(2 + 7 * m.entries.length);
      b[0] = MessageType.E1Status;
      b[1] = m.entries.length;
      let o = 2;
      for (const e of m.entries) {
        o = b.writeUInt8(e.port, o);
        o = b.writeUInt8(e.side, o);
        o = b.writeUInt8(e.alarms & E1_ALARM_BITS, o);
        o = b.writeUInt16BE(e.slips & 0xffff, o);
        o = b.writeUInt16BE(e.crc4Errors & 0xffff, o);
      }
      return withCrc(b);
    }
    case 'e1Configure':
      return withCrc(Buffer.from([MessageType.E1Configure, m.seq & 0xff, m.port, (m.enabled ? 1 : 0) | (m.crc4 ? 2 : 0)]));
    case 'ack':
      return withCrc(Buffer.from([MessageType.Ack, m.seq & 0xff, m.status]));
    case 'identify':
      return withCrc(Buffer.from([MessageType.Identify, m.seq & 0xff]));
    case 'reset':
      return withCrc(Buffer.from([MessageType.Reset, m.seq & 0xff]));
    case 'ping':
      return withCrc(Buffer.from([MessageType.Ping, m.seq & 0xff]));
    case 'configure': {
      const b = Buffer.alloc(6);
      b[0] = MessageType.Configure;
      b[1] = m.seq & 0xff;
      b[2] = m.channel;
      b[3] = m.audioEnabled ? 1 : 0;
      b[4] = m.codec;
      b.writeInt8(Math.max(-128, Math.min(127, m.gainDb)), 5);
      return withCrc(b);
    }
    default: {
      const never: never = m;
      throw new Error(`unencodable message ${(never as { type: string }).type}`);
    }
  }
}

const fail = (error: DecodeFailure['error'], detail: string): DecodeFailure => ({ error, detail });

function isCodec(n: number): n is AudioCodecId {
  return n === AudioCodec.Alaw || n === AudioCodec.Ulaw || n === AudioCodec.Linear16;
}

/** Decodes an unframed frame. Never throws: a bad frame yields a DecodeFailure. */
export function decodeMessage(f: Buffer): AnyMessage | DecodeFailure {
  if (f.length < 3) return fail('short', `frame of ${f.length} bytes`);
  const bodyEnd = f.length - 2;
  if (crc16(f, 0, bodyEnd) !== f.readUInt16BE(bodyEnd)) return fail('crc', `type 0x${f[0]!.toString(16)}, ${f.length} bytes`);
  const type = f[0]!;
  const len = bodyEnd - 1;
  switch (type) {
    case MessageType.Hello: {
      if (len < 6) return fail('bad-length', 'hello');
      const modelLen = f[5]!;
      if (6 + modelLen + 1 > bodyEnd) return fail('bad-length', 'hello model');
      const model = f.toString('latin1', 6, 6 + modelLen);
      const fwLen = f[6 + modelLen]!;
      if (7 + modelLen + fwLen > bodyEnd) return fail('bad-length', 'hello firmware version');
      const codec = f[4]!;
      if (!isCodec(codec)) return fail('bad-value', `hello codec ${codec}`);
      const hello: HelloMessage = {
        type: 'hello',
        protocolVersion: f[1]!,
        channelCount: f.readUInt16BE(2),
        audioCodec: codec,
        model,
        firmwareVersion: f.toString('latin1', 7 + modelLen, 7 + modelLen + fwLen),
      };
      const e1Ports = 7 + modelLen + fwLen < bodyEnd ? f[7 + modelLen + fwLen]! : 0;
      if (e1Ports > 0) hello.e1Ports = e1Ports;
      return hello;
    }
    case MessageType.E1Audio: {
      if (len < 6) return fail('bad-length', 'e1 audio');
      const side = f[2]!;
      const first = f[5]!;
      const count = f[6]!;
      if (side > 1) return fail('bad-value', `e1 audio side ${side}`);
      if (count === 0 || count > E1_MAX_TIMESLOTS_PER_FRAME || first + count > E1_TIMESLOTS) {
        return fail('bad-value', `e1 audio timeslots ${first}+${count}`);
      }
      if (len !== 6 + count * E1_BLOCK_FRAMES) return fail('bad-length', `e1 audio of ${count} timeslots`);
      return { type: 'e1Audio', port: f[1]!, side: side as E1SideId, seq: f.readUInt16BE(3), first, count, octets: f.subarray(7, bodyEnd) };
    }
    case MessageType.E1Status: {
      const count = f[1];
      if (count === undefined || len !== 1 + count * 7) return fail('bad-length', 'e1 status');
      const entries: E1StatusEntry[] = new Array(count);
      for (let i = 0, o = 2; i < count; i++, o += 7) {
        const side = f[o + 1]!;
        if (side > 1) return fail('bad-value', `e1 status side ${side}`);
        entries[i] = { port: f[o]!, side: side as E1SideId, alarms: f[o + 2]! & E1_ALARM_BITS, slips: f.readUInt16BE(o + 3), crc4Errors: f.readUInt16BE(o + 5) };
      }
      return { type: 'e1Status', entries };
    }
    case MessageType.E1Configure: {
      if (len !== 3) return fail('bad-length', 'e1 configure');
      const flags = f[3]!;
      if (flags > 3) return fail('bad-value', `e1 configure flags ${flags}`);
      return { type: 'e1Configure', seq: f[1]!, port: f[2]!, enabled: (flags & 1) === 1, crc4: (flags & 2) === 2 };
    }
    case MessageType.LineStatus: {
      const count = f[1];
      if (count === undefined || len !== 1 + count * 4) return fail('bad-length', 'line status');
      const entries: LineStatusEntry[] = new Array(count);
      for (let i = 0, o = 2; i < count; i++, o += 4) {
        entries[i] = { channel: f[o]!, voltage: f.readInt16BE(o + 1) / 10, ringing: (f[o + 3]! & 1) === 1 };
      }
      return { type: 'lineStatus', entries };
    }
    case MessageType.Audio: {
      if (len < 4) return fail('bad-length', 'audio');
      const codec = f[2]!;
      if (!isCodec(codec)) return fail('bad-value', `audio codec ${codec}`);
      return { type: 'audio', channel: f[1]!, codec, seq: f.readUInt16BE(3), samples: f.subarray(5, bodyEnd) };
    }
    case MessageType.Ack: {
      if (len !== 2) return fail('bad-length', 'ack');
      const status = f[2]!;
      if (status > AckStatus.UnknownCommand) return fail('bad-value', `ack status ${status}`);
      return { type: 'ack', seq: f[1]!, status: status as AckStatusId };
    }
    case MessageType.Identify:
    case MessageType.Reset:
    case MessageType.Ping: {
      if (len !== 1) return fail('bad-length', 'command');
      const kind = type === MessageType.Identify ? 'identify' : type === MessageType.Reset ? 'reset' : 'ping';
      return { type: kind, seq: f[1]! };
    }
    case MessageType.Configure: {
      if (len !== 5) return fail('bad-length', 'configure');
      const codec = f[4]!;
      if (!isCodec(codec)) return fail('bad-value', `configure codec ${codec}`);
      return { type: 'configure', seq: f[1]!, channel: f[2]!, audioEnabled: f[3] === 1, codec, gainDb: f.readInt8(5) };
    }
    default:
      return fail('unknown-type', `type 0x${type.toString(16)}`);
  }
}

export function isDecodeFailure(m: AnyMessage | DecodeFailure): m is DecodeFailure {
  return 'error' in m;
}
