/**
 * Processing info (处理信息, manual 3.20) and ping (系统调试, 3.23). Processing
 * info reads the daemon's own counters: the line-card link (frames, errors,
 * reconnects, with rates over the last 10 s or more), the queues between its
 * parts (recordings waiting to be indexed, event subscriptions, alarm mail),
 * memory, CPU and the event loop's delay. Ping runs the system's `ping` with
 * a validated target and hands its output out line by line as it comes.
 */
import os from 'node:os';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { RecorderError } from '../errors.ts';
import type { Shell } from '../host/host.ts';
import type { LinkStats } from '../linecard/linecard-link.ts';
import { pingArgs, pingRequestSchema, pingSummary, type PingInput } from '../diagnostics/ping-command.ts';
import { describeZodError } from '../schema-error.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';

export { pingRequestSchema, MAX_PING_COUNT, MAX_PING_SIZE } from '../diagnostics/ping-command.ts';

export interface ProcessingSources {
  link: () => { up: boolean; stats: LinkStats };
  recorder: () => { open: number; waitingToIndex: number; stats: Record<string, number> };
  events: () => { subscriptions: number; listeners: number; queued: number; dropped: number; published: number; listenerErrors: number };
  mail: () => { noted: number; mails: number; failedMails: number; waiting: boolean };
  channels: () => { analog: number; e1Timeslots: number; recording: number };
}

export interface ProcessingInfo {
  at: number;
  uptimeS: number;
  linecard: { up: boolean; stats: LinkStats; framesPerSecond: number | null; errorsPerMinute: number | null };
  channels: ReturnType<ProcessingSources['channels']>;
  queues: {
    recordingsOpen: number;
    recordingsWaitingToIndex: number;
    eventSubscriptions: number;
    eventListeners: number;
    eventsQueued: number;
    eventsDropped: number;
    eventsPublished: number;
    alarmMailWaiting: boolean;
  };
  recorder: Record<string, number>;
  mail: { alarmsNoted: number; mailsSent: number; mailsFailed: number };
  memory: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number; arrayBuffersBytes: number; totalBytes: number; freeBytes: number };
  cpu: { percent: number; loadAverage: number[]; cores: number };
  /** Delay of the event loop over the last minute or so, ms. */
  eventLoop: { meanMs: number; p99Ms: number; maxMs: number };
}

export interface PingRun {
  /** The command as run, for the page's first line. */
  command: string;
  lines: AsyncIterable<string>;
  /** Exit code and ping's summary when it printed one. */
  done: Promise<{ code: number; transmitted: number | null; received: number | null }>;
  /** Stops it (the reader went away). */
  stop(): void;
}

const MAX_PINGS = 2;
/** Rates and CPU cover at least this span once the box has been read that long. */
const RATE_WINDOW_MS = 10_000;
/** The event-loop delay histogram starts again after this long. */
const LOOP_WINDOW_MS = 60_000;

interface Reading {
  at: number;
  frames: number;
  errors: number;
  cpu: NodeJS.CpuUsage;
  perfAt: number;
}
const linkErrors = (s: LinkStats) => s.crcErrors + s.malformedFrames + s.unknownFrames;

export class DiagnosticsService {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  /** Earlier readings, oldest first: rates are taken against the newest one at least RATE_WINDOW_MS old, so readers do not shorten each other's window. */
  private readings: Reading[] = [];
  private loopSince: number;
  private pings = 0;

  constructor(
    private readonly deps: {
      sources: ProcessingSources;
      shell: Shell;
      audit: Auditor;
      now: () => number;
      startedAt: number;
      /** A clock that never steps, ms (spans of CPU time and of the rates' window). */
      monotonic?: () => number;
    },
  ) {
    this.loop.enable();
    this.loopSince = this.monotonic();
  }

  private monotonic(): number {
    return this.deps.monotonic ? this.deps.monotonic() : performance.now();
  }

  /** Stops measuring the event loop (the daemon stops). */
  close(): void {
    this.loop.disable();
  }

  processing(): ProcessingInfo {
    const { sources, now } = this.deps;
    const at = now();
    const link = sources.link();
    const recorder = sources.recorder();
    const events = sources.events();
    const mail = sources.mail();
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const perfAt = this.monotonic();
    const prev = this.baseline(perfAt);
    const frames = link.stats.frames;
    const errors = linkErrors(link.stats);
    const spanS = prev ? (at - prev.at) / 1000 : 0;
    const cpuSpanMs = prev ? perfAt - prev.perfAt : 0;
    const cpuPercent = prev && cpuSpanMs > 0 ? round1(((cpu.user - prev.cpu.user + cpu.system - prev.cpu.system) / 1000 / cpuSpanMs) * 100) : round1(((cpu.user + cpu.system) / 1000 / (process.uptime() * 1000)) * 100);
    this.readings.push({ at, frames, errors, cpu, perfAt });
    const info: ProcessingInfo = {
      at,
      uptimeS: Math.round((at - this.deps.startedAt) / 1000),
      linecard: {
        up: link.up,
        stats: { ...link.stats },
        framesPerSecond: prev && spanS > 0 ? round1((frames - prev.frames) / spanS) : null,
        errorsPerMinute: prev && spanS > 0 ? round1(((errors - prev.errors) / spanS) * 60) : null,
      },
      channels: sources.channels(),
      queues: {
        recordingsOpen: recorder.open,
        recordingsWaitingToIndex: recorder.waitingToIndex,
        eventSubscriptions: events.subscriptions,
        eventListeners: events.listeners,
        eventsQueued: events.queued,
        eventsDropped: events.dropped,
        eventsPublished: events.published,
        alarmMailWaiting: mail.waiting,
      },
      recorder: { ...recorder.stats },
      mail: { alarmsNoted: mail.noted, mailsSent: mail.mails, mailsFailed: mail.failedMails },
      memory: {
        rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external, arrayBuffersBytes: mem.arrayBuffers,
        totalBytes: os.totalmem(), freeBytes: os.freemem(),
      },
      cpu: { percent: cpuPercent, loadAverage: os.loadavg().map(round2), cores: os.availableParallelism() },
      eventLoop: {
        meanMs: round2(nsToMs(this.loop.mean)),
        p99Ms: round2(nsToMs(this.loop.percentile(99))),
        maxMs: round2(nsToMs(this.loop.max)),
      },
    };
    if (perfAt - this.loopSince >= LOOP_WINDOW_MS) {
      this.loop.reset();
      this.loopSince = perfAt;
    }
    return info;
  }

  /** The newest earlier reading at least RATE_WINDOW_MS old (or the oldest there is); older ones are dropped. */
  private baseline(perfAt: number): Reading | null {
    let i = -1;
    for (let k = 0; k < this.readings.length; k++) if (perfAt - this.readings[k]!.perfAt >= RATE_WINDOW_MS) i = k;
    if (i > 0) this.readings.splice(0, i);
    // Readings closer together than a second add nothing to the window.
    const last = this.readings.at(-1);
    if (last && this.readings.length > 1 && perfAt - last.perfAt < 1000) this.readings.pop();
    return this.readings[0] ?? null;
  }

  /** Starts a ping (Ping 测试): validated, at most two at once, logged with its principal. */
  async ping(principal: Principal, input: PingInput): Promise<PingRun> {
    const parsed = pingRequestSchema.safeParse(input);
    const request = parsed.success ? parsed.data : null;
    const detail = request ? `${request.target} ×${request.count}, ${request.size} bytes` : JSON.stringify(input).slice(0, 200);
    return this.deps.audit.run(principal, { item: 'system', operation: 'test', parameter: 'ping', detail }, () => {
      if (!parsed.success) throw new RecorderError('BAD_REQUEST', `ping: ${describeZodError(parsed.error)}`);
      const r = parsed.data;
      const { shell } = this.deps;
      if (!shell.stream) throw new RecorderError('PING_UNAVAILABLE');
      if (this.pings >= MAX_PINGS) throw new RecorderError('PING_BUSY');
      const args = pingArgs(r);
      const run = shell.stream('ping', args, { timeoutMs: (r.count + 10) * 1000 });
      this.pings++;
      let summary: { transmitted: number; received: number } | null = null;
      // The output is read as it comes (at most a few hundred lines), whether or not anyone reads it yet,
      // so the summary is known when the run is done.
      const buffered: string[] = [];
      let ended = false;
      let wake = (): void => {};
      const pump = (async () => {
        for await (const line of run.lines) {
          summary = pingSummary(line) ?? summary;
          buffered.push(line);
          wake();
        }
        ended = true;
        wake();
      })();
      const done = Promise.all([run.done, pump]).then(([code]) => {
        this.pings--;
        return { code, transmitted: summary?.transmitted ?? null, received: summary?.received ?? null };
      });
      async function* lines(): AsyncIterable<string> {
        for (;;) {
          const next = buffered.shift();
          if (next !== undefined) {
            yield next;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = () => {};
        }
      }
      return { command: `ping ${args.join(' ')}`, lines: lines(), done, stop: () => run.kill() };
    });
  }
}

const nsToMs = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
