/**
 * What the SIPREC server needs from the RTP media side: a call with one
 * stream per recorded leg. The shape of the media module's `VoipMedia`.
 */
export interface VoipCallStart {
  source: 'phone' | 'siprec';
  callId: string;
  localNumber?: string;
  localName?: string;
  remoteNumber?: string;
  remoteName?: string;
  direction: 'in' | 'out' | 'unknown';
  participants?: { aor?: string; name?: string; role?: string }[];
  metadata?: Record<string, string>;
  device?: string;
  at: number;
}
export interface StreamOffer {
  label: string;
  leg: 0 | 1 | 'mixed';
  remote?: { address: string; port: number };
  codecs: { pt: number; name: 'PCMA' | 'PCMU' | 'G722' | 'telephone-event'; rate: number }[];
}
export interface VoipCall {
  readonly id: string;
  addStream(o: StreamOffer): Promise<{ port: number }>;
  updateStream(label: string, o: Partial<StreamOffer>): Promise<{ port: number }>;
  removeStream(label: string): void;
  pause(reason: string): void;
  resume(): void;
  update(change: Partial<VoipCallStart>): void;
  close(reason: string): Promise<void>;
  stats(): object;
}
export interface VoipMedia {
  /** Throws an error whose `code` is 'capacity' when over the licence. */
  open(start: VoipCallStart): VoipCall;
}
