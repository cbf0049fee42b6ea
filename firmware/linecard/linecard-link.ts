/**
 * The host end of the line-card link: opens the transport, identifies the card,
 * configures its channels, turns frames into line-status and audio events,
 * watches the card's liveness and reconnects when it goes silent or the
 * transport fails. Bad bytes are counted and logged, never thrown.
 */
import type { ByteLink, Clock, LineCardTransport, TimerHandle } from '../host/host.ts';
import { AudioSequencer } from './audio-sequencer.ts';
import { CommandExchange, type CommandBody, type ExchangeAction, type ExchangeFailure } from './command-exchange.ts';
import {
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  isDecodeFailure,
  type AudioCodecId,
  type HelloMessage,
  type LineStatusEntry,
} from './messages.ts';
import { SlipDecoder, slipEncode } from './slip.ts';
import { E1BlockAssembler, type E1Block } from './e1-block-assembler.ts';
import type { E1StatusEntry } from './messages.ts';
import { RecorderError } from '../errors.ts';

export interface LinkEvents {
  onUp(hello: HelloMessage): void;
  onDown(reason: string): void;
  onLineStatus(entry: LineStatusEntry): void;
  /** One block of audio; `missing` silent blocks were lost just before it. */
  onAudio(channel: number, codec: AudioCodecId, samples: Buffer, missing: number): void;
  /** One 20 ms block of an E1 port, both sides (boards with E1 ports). */
  onE1Block?(block: E1Block): void;
  /** Alarms and counters of one side of an E1 port. */
  onE1Status?(entry: E1StatusEntry): void;
}

/** How an E1 port is configured on the card when the link comes up. */
export interface E1PortLinkConfig {
  enabled: boolean;
  crc4: boolean;
}

export interface LinkLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LinkOptions {
  channelCount: number;
  /** Ping after this long without a frame from the card. */
  idlePingMs?: number;
  /** Declare the card dead after this long without a frame. */
  deadAfterMs?: number;
  /** Delay between reconnection attempts. */
  reconnectMs?: number;
  commandTimeoutMs?: number;
  commandRetries?: number;
  /** E1 ports the board taps (0: none). */
  e1Ports?: number;
  /** Each E1 port's configuration, sent after the analog channels'. */
  e1Config?: (port: number) => E1PortLinkConfig;
}

export interface LinkStats {
  frames: number;
  crcErrors: number;
  malformedFrames: number;
  unknownFrames: number;
  audioGaps: number;
  filledBlocks: number;
  connects: number;
  linkLosses: number;
  /** E1 blocks handed on, of them incomplete; E1 blocks lost (gaps) and filled with silence. */
  e1Blocks: number;
  e1IncompleteBlocks: number;
  e1Gaps: number;
  e1FilledBlocks: number;
}

export class LineCardLink {
  private link: ByteLink | null = null;
  private readonly slip = new SlipDecoder(4096);
  private readonly sequencer: AudioSequencer;
  private readonly e1: E1BlockAssembler;
  private readonly exchange: CommandExchange;
  private readonly waiters = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private hello: HelloMessage | null = null;
  private lastRxAt = 0;
  private watchdog: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private stopped = true;
  private connecting = false;
  private readonly counters = { frames: 0, crcErrors: 0, malformedFrames: 0, unknownFrames: 0, connects: 0, linkLosses: 0 };
  private readonly opts: Required<Omit<LinkOptions, 'e1Config'>> & Pick<LinkOptions, 'e1Config'>;

  constructor(
    private readonly transport: LineCardTransport,
    private readonly clock: Clock,
    private readonly events: LinkEvents,
    private readonly log: LinkLogger,
    options: LinkOptions,
  ) {
    this.opts = {
      idlePingMs: 1000,
      deadAfterMs: 3000,
      reconnectMs: 2000,
      commandTimeoutMs: 250,
      commandRetries: 3,
      e1Ports: 0,
      ...options,
    };
    this.sequencer = new AudioSequencer(options.channelCount);
    this.e1 = new E1BlockAssembler(this.opts.e1Ports);
    this.exchange = new CommandExchange({ timeoutMs: this.opts.commandTimeoutMs, retries: this.opts.commandRetries });
  }

  get up(): boolean {
    return this.hello !== null;
  }

  get cardInfo(): HelloMessage | null {
    return this.hello;
  }

  get stats(): LinkStats {
    return {
      ...this.counters,
      malformedFrames: this.counters.malformedFrames + this.slip.stats.malformed,
      audioGaps: this.sequencer.stats.gaps,
      filledBlocks: this.sequencer.stats.filledBlocks,
      e1Blocks: this.e1.stats.blocks,
      e1IncompleteBlocks: this.e1.stats.incomplete,
      e1Gaps: this.e1.stats.gaps,
      e1FilledBlocks: this.e1.stats.filledBlocks,
    };
  }

  start(): void {
    this.stopped = false;
    this.watchdog = this.clock.setInterval(() => this.checkLiveness(), 100);
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watchdog?.cancel();
    this.retryTimer?.cancel();
    this.failWaiters(this.exchange.abortAll());
    const link = this.link;
    this.link = null;
    this.hello = null;
    if (link) await link.close();
  }

  /** Sends a command and resolves when the card acknowledges it. */
  command(body: CommandBody): Promise<void> {
    if (!this.link) return Promise.reject(new RecorderError('LINECARD_DOWN'));
    const { id, actions } = this.exchange.submit(body, this.clock.now());
    const done = new Promise<void>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    this.apply(actions);
    return done;
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.link) return;
    this.connecting = true;
    try {
      const link = await this.transport.open();
      if (this.stopped) {
        await link.close();
        return;
      }
      this.link = link;
      this.slip.reset();
      this.sequencer.resync();
      this.e1.resync();
      this.lastRxAt = this.clock.now();
      link.onData((chunk) => this.onBytes(chunk));
      link.onClose((error) => this.onLinkClosed(link, error ? `transport error: ${error.message}` : 'transport closed'));
      await this.identify();
    } catch (e) {
      this.log.warn({ err: (e as Error).message, transport: this.transport.description }, 'line card link not available');
      if (this.link) await this.drop('identify failed');
      this.scheduleReconnect();
    } finally {
      this.connecting = false;
    }
  }

  private async identify(): Promise<void> {
    this.hello = null;
    await this.command({ type: 'identify' });
    if (!this.hello) throw new Error('card acknowledged identify without a hello');
    const hello: HelloMessage = this.hello;
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      this.log.warn({ card: hello.protocolVersion, host: PROTOCOL_VERSION }, 'line card speaks another protocol version');
    }
    for (let ch = 0; ch < Math.min(this.opts.channelCount, hello.channelCount); ch++) {
      await this.command({ type: 'configure', channel: ch, audioEnabled: true, codec: hello.audioCodec, gainDb: 0 });
    }
    const e1Ports = Math.min(this.opts.e1Ports, hello.e1Ports ?? 0);
    for (let port = 0; port < e1Ports; port++) {
      const c = this.opts.e1Config?.(port) ?? { enabled: true, crc4: true };
      await this.command({ type: 'e1Configure', port, enabled: c.enabled, crc4: c.crc4 });
    }
    this.counters.connects++;
    this.log.info({ model: hello.model, firmware: hello.firmwareVersion, channels: hello.channelCount }, 'line card up');
    this.events.onUp(hello);
  }

  private onBytes(chunk: Buffer): void {
    this.slip.push(chunk, (frame) => this.onFrame(frame));
  }

  private onFrame(frame: Buffer): void {
    const m = decodeMessage(frame);
    if (isDecodeFailure(m)) {
      if (m.error === 'crc') this.counters.crcErrors++;
      else if (m.error === 'unknown-type') this.counters.unknownFrames++;
      else this.counters.malformedFrames++;
      const errors = this.counters.crcErrors + this.counters.malformedFrames + this.counters.unknownFrames;
      if ((errors & (errors - 1)) === 0) this.log.warn({ error: m.error, detail: m.detail, errors }, 'bad frame from line card skipped');
      return;
    }
    this.counters.frames++;
    this.lastRxAt = this.clock.now();
    switch (m.type) {
      case 'hello':
        this.hello = m;
        return;
      case 'ack':
        this.apply(this.exchange.onAck(m, this.clock.now()));
        return;
      case 'lineStatus':
        if (!this.up) return;
        for (const entry of m.entries) if (entry.channel < this.opts.channelCount) this.events.onLineStatus(entry);
        return;
      case 'audio': {
        if (!this.up || m.channel >= this.opts.channelCount) return;
        const verdict = this.sequencer.accept(m.channel, m.seq);
        if (verdict.accept) this.events.onAudio(m.channel, m.codec, m.samples, verdict.missing);
        return;
      }
      case 'e1Audio':
        if (!this.up || m.port >= this.opts.e1Ports) return;
        this.e1.push(m, (block) => this.events.onE1Block?.(block));
        return;
      case 'e1Status':
        if (!this.up) return;
        for (const entry of m.entries) if (entry.port < this.opts.e1Ports) this.events.onE1Status?.(entry);
        return;
      case 'identify':
      case 'configure':
      case 'reset':
      case 'ping':
      case 'e1Configure':
        this.counters.unknownFrames++;
        return;
      default: {
        const never: never = m;
        void never;
      }
    }
  }

  private apply(actions: ExchangeAction[]): void {
    for (const a of actions) {
      if (a.kind === 'send') this.link?.write(slipEncode(encodeMessage(a.command)));
      else if (a.kind === 'done') {
        this.waiters.get(a.id)?.resolve();
        this.waiters.delete(a.id);
      } else this.failWaiters([a]);
    }
  }

  private failWaiters(actions: ExchangeAction[]): void {
    for (const a of actions) {
      if (a.kind !== 'failed') continue;
      const w = this.waiters.get(a.id);
      this.waiters.delete(a.id);
      w?.reject(failureError(a.reason));
    }
  }

  private checkLiveness(): void {
    const now = this.clock.now();
    this.apply(this.exchange.tick(now));
    if (!this.link || this.connecting) return;
    const silentFor = now - this.lastRxAt;
    if (silentFor >= this.opts.deadAfterMs) {
      void this.drop(`no frame from the line card for ${silentFor} ms`).then(() => this.scheduleReconnect());
    } else if (silentFor >= this.opts.idlePingMs && !this.exchange.busy) {
      this.command({ type: 'ping' }).catch(() => undefined);
    }
  }

  private onLinkClosed(link: ByteLink, reason: string): void {
    if (this.link !== link) return;
    void this.drop(reason).then(() => this.scheduleReconnect());
  }

  private async drop(reason: string): Promise<void> {
    const link = this.link;
    if (!link) return;
    this.link = null;
    const wasUp = this.hello !== null;
    this.hello = null;
    this.failWaiters(this.exchange.abortAll());
    this.counters.linkLosses++;
    this.log.warn({ reason }, 'line card link lost');
    if (wasUp) this.events.onDown(reason);
    await link.close().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.opts.reconnectMs);
  }
}

function failureError(reason: ExchangeFailure): RecorderError {
  switch (reason) {
    case 'timeout':
      return new RecorderError('LINECARD_TIMEOUT');
    case 'rejected':
      return new RecorderError('LINECARD_REJECTED');
    case 'link-down':
      return new RecorderError('LINECARD_DOWN');
  }
}
