/**
 * RFC 4733 telephone events (DTMF digits sent as RTP): one event spans
 * several packets with the same timestamp; the packet with the E (end) bit,
 * usually sent three times, completes the digit. A digit is taken once per
 * event timestamp; repeats of the end packet are ignored. Pure.
 */
const EVENT_CHARS = '0123456789*#ABCD';

export class TelephoneEvents {
  private lastTs = -1;
  private lastEvent = -1;
  digits = '';
  /** Events seen (digits kept) and malformed payloads. */
  readonly counters = { events: 0, malformed: 0 };

  /** Takes one telephone-event payload; returns the digit when this packet completes a new event. */
  take(payload: Uint8Array, timestamp: number): string | null {
    if (payload.length < 4) {
      this.counters.malformed++;
      return null;
    }
    const event = payload[0]!;
    const end = (payload[1]! & 0x80) !== 0;
    if (!end) return null;
    if (timestamp === this.lastTs && event === this.lastEvent) return null;
    this.lastTs = timestamp;
    this.lastEvent = event;
    if (event >= EVENT_CHARS.length) return null; // not a DTMF event (flash, tones): ignored
    const digit = EVENT_CHARS[event]!;
    this.counters.events++;
    if (this.digits.length < 64) this.digits += digit;
    return digit;
  }
}
