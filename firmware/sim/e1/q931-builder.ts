/**
 * Q.931 messages for the simulated PRI D-channel (ITU-T Q.931 as EuroISDN
 * PRI uses it), carried in Q.921 (LAPD) I frames, SAPI 0, TEI 0. Only what a
 * call needs: SETUP, CALL PROCEEDING, ALERTING, CONNECT, CONNECT
 * ACKNOWLEDGE, DISCONNECT, RELEASE, RELEASE COMPLETE, with bearer capability
 * (speech, A-law), channel identification (PRI, exclusive, one timeslot),
 * calling and called party numbers and cause.
 */
export const Q931 = {
  Alerting: 0x01,
  CallProceeding: 0x02,
  Setup: 0x05,
  Connect: 0x07,
  ConnectAck: 0x0f,
  Disconnect: 0x45,
  Release: 0x4d,
  ReleaseComplete: 0x5a,
} as const;
export type Q931MessageType = (typeof Q931)[keyof typeof Q931];

export const NUMBER_TYPES = ['unknown', 'international', 'national', 'network-specific', 'subscriber'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

export interface PartyNumber {
  digits: string;
  /** Type of number (default 'unknown'); the plan is always ISDN/telephony (E.164). */
  type?: NumberType;
  /** Calling party only: presentation restricted. */
  restricted?: boolean;
}

export interface Q931Fields {
  /** Call reference value (15 bits). */
  callRef: number;
  /** Set in messages sent by the side that did not originate the call. */
  fromDestination: boolean;
  timeslot?: number;
  calling?: PartyNumber;
  called?: PartyNumber;
  /** Cause value (Q.850), e.g. 16 normal clearing, 17 user busy, 19 no answer. */
  cause?: number;
}

function ie(id: number, body: number[]): number[] {
  return [id, body.length, ...body];
}

function ascii(digits: string): number[] {
  return [...digits].map((c) => c.charCodeAt(0) & 0x7f);
}

function typeCode(t: NumberType | undefined): number {
  return Math.max(0, NUMBER_TYPES.indexOf(t ?? 'unknown'));
}

/** A Q.931 message: protocol discriminator, 2-octet call reference, message type, information elements. */
export function q931Message(type: Q931MessageType, f: Q931Fields): Uint8Array {
  const out: number[] = [0x08, 0x02, ((f.callRef >>> 8) & 0x7f) | (f.fromDestination ? 0x80 : 0), f.callRef & 0xff, type];
  if (type === Q931.Setup) out.push(...ie(0x04, [0x80, 0x90, 0xa3]));
  if (f.cause !== undefined) out.push(...ie(0x08, [0x80 | 0x02, 0x80 | (f.cause & 0x7f)]));
  if (f.timeslot !== undefined) out.push(...ie(0x18, [0xa9, 0x83, 0x80 | (f.timeslot & 0x7f)]));
  if (f.calling) {
    const octet3 = (typeCode(f.calling.type) << 4) | 0x01;
    const octet3a = 0x80 | (f.calling.restricted ? 0x20 : 0) | 0x01;
    out.push(...ie(0x6c, [octet3, octet3a, ...ascii(f.calling.digits)]));
  }
  if (f.called) out.push(...ie(0x70, [0x80 | (typeCode(f.called.type) << 4) | 0x01, ...ascii(f.called.digits)]));
  return Uint8Array.from(out);
}

/**
 * One side's Q.921 data link: numbers its I frames (N(S)) and acknowledges
 * the other side's (N(R)). `network` sets the C/R bit of commands.
 */
export class LapdSender {
  private ns = 0;
  /** I frames received from the other side (the N(R) to send). */
  nr = 0;

  constructor(private readonly network: boolean) {}

  /** An I frame (a command) carrying `info`. */
  iFrame(info: Uint8Array): Uint8Array {
    const frame = new Uint8Array(4 + info.length);
    frame[0] = (0 << 2) | (this.network ? 0x02 : 0x00);
    frame[1] = 0x01; // TEI 0, EA
    frame[2] = (this.ns << 1) & 0xfe;
    frame[3] = (this.nr << 1) & 0xfe;
    frame.set(info, 4);
    this.ns = (this.ns + 1) % 128;
    return frame;
  }

  /** An RR response acknowledging what was received. */
  receiverReady(): Uint8Array {
    return Uint8Array.from([this.network ? 0x00 : 0x02, 0x01, 0x01, (this.nr << 1) & 0xfe]);
  }

  /** SABME (command, P=1) and UA (response, F=1): the link's establishment. */
  sabme(): Uint8Array {
    return Uint8Array.from([this.network ? 0x02 : 0x00, 0x01, 0x7f]);
  }

  ua(): Uint8Array {
    return Uint8Array.from([this.network ? 0x00 : 0x02, 0x01, 0x73]);
  }
}
