/**
 * Host→card command exchange as a pure state machine: one command in flight,
 * the rest queued; each is sent, waits for its ACK, and is sent again after a
 * timeout up to `retries` times. No I/O and no timers: the caller passes the
 * time in and carries out the returned actions.
 */
import { AckStatus, type AckMessage, type AckStatusId, type HostCommand } from './messages.ts';

export type CommandBody = HostCommand extends infer C ? (C extends HostCommand ? Omit<C, 'seq'> : never) : never;

export type ExchangeFailure = 'timeout' | 'rejected' | 'link-down';

export type ExchangeAction =
  | { kind: 'send'; command: HostCommand; attempt: number }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id: number; reason: ExchangeFailure; status?: AckStatusId };

interface Pending {
  id: number;
  body: CommandBody;
  seq: number;
  attempt: number;
  deadline: number;
}

export interface ExchangeOptions {
  timeoutMs: number;
  retries: number;
}

export class CommandExchange {
  private readonly queue: Pending[] = [];
  private inFlight: Pending | null = null;
  private nextSeq = 1;
  private nextId = 1;
  readonly stats = { sent: 0, retries: 0, timeouts: 0, rejected: 0, strayAcks: 0 };

  constructor(private readonly options: ExchangeOptions = { timeoutMs: 250, retries: 3 }) {}

  /** Queues a command; returns its id and what to do now. */
  submit(body: CommandBody, now: number): { id: number; actions: ExchangeAction[] } {
    const id = this.nextId++;
    this.queue.push({ id, body, seq: 0, attempt: 0, deadline: 0 });
    return { id, actions: this.startNext(now) };
  }

  onAck(ack: AckMessage, now: number): ExchangeAction[] {
    const p = this.inFlight;
    if (!p || ack.seq !== p.seq) {
      this.stats.strayAcks++;
      return [];
    }
    this.inFlight = null;
    const result: ExchangeAction =
      ack.status === AckStatus.Ok
        ? { kind: 'done', id: p.id }
        : { kind: 'failed', id: p.id, reason: 'rejected', status: ack.status };
    if (result.kind === 'failed') this.stats.rejected++;
    return [result, ...this.startNext(now)];
  }

  /** Call periodically; retries or fails the command in flight once its deadline has passed. */
  tick(now: number): ExchangeAction[] {
    const p = this.inFlight;
    if (!p || now < p.deadline) return [];
    if (p.attempt <= this.options.retries) {
      this.stats.retries++;
      return [this.send(p, now)];
    }
    this.inFlight = null;
    this.stats.timeouts++;
    return [{ kind: 'failed', id: p.id, reason: 'timeout' }, ...this.startNext(now)];
  }

  /** Fails everything in flight and queued, e.g. when the link is lost. */
  abortAll(): ExchangeAction[] {
    const all = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = null;
    return all.map((p) => ({ kind: 'failed', id: p.id, reason: 'link-down' }) as const);
  }


  get busy(): boolean {
    return this.inFlight !== null || this.queue.length > 0;
  }

  private startNext(now: number): ExchangeAction[] {
    if (this.inFlight) return [];
    const p = this.queue.shift();
    if (!p) return [];
    p.seq = this.nextSeq;
    this.nextSeq = (this.nextSeq % 255) + 1;
    this.inFlight = p;
    return [this.send(p, now)];
  }

  private send(p: Pending, now: number): ExchangeAction {
    p.attempt++;
    p.deadline = now + this.options.timeoutMs;
    this.stats.sent++;
    return { kind: 'send', command: { ...p.body, seq: p.seq } as HostCommand, attempt: p.attempt };
  }
}
