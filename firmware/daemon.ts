/**
 * The recorder daemon: wires the line-card link, one pipeline per analog
 * channel, the recorder and index, the front panel and the HTTP API together.
 * Every hardware and OS access goes through the injected host.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Host, TimerHandle } from './host/host.ts';
import type { Board } from './board/board-schema.ts';
import { LineCardLink } from './linecard/linecard-link.ts';
import { ChannelPipeline } from './channels/channel-pipeline.ts';
import { AlarmList } from './alarms/alarm-list.ts';
import { FrontPanel } from './panel/front-panel.ts';
import { RecordIndex } from './recording/record-index.ts';
import { Recorder } from './recording/recorder.ts';
import { recoverOpenRecordings } from './recording/recovery.ts';
import { INDEX_DIR } from './recording/recording-paths.ts';
import { channelConfigOf, loadDeviceConfig, type DeviceConfig } from './config/device-config.ts';
import { createApp } from './api/app.ts';
import { VERSION } from './version.ts';

export interface DaemonOptions {
  host: Host;
  board: Board;
  log: Logger;
  /** HTTP port; 0 picks a free one. */
  port: number;
  /** Bind address of the HTTP API. */
  listenHost?: string;
}

export interface Daemon {
  readonly port: number;
  readonly board: Board;
  readonly config: DeviceConfig;
  readonly link: LineCardLink;
  readonly channels: readonly ChannelPipeline[];
  readonly recorder: Recorder;
  readonly index: RecordIndex;
  readonly alarms: AlarmList;
  readonly panel: FrontPanel;
  readonly startedAt: number;
  /** The daemon's clock (virtual in tests). */
  now(): number;
  stop(): Promise<void>;
}

const TICK_MS = 100;
const DISK_CHECK_MS = 5000;

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { host, board, log } = opts;
  const { clock } = host;
  const startedAt = clock.now();
  const panel = new FrontPanel(host.gpio, clock);
  panel.powerOn();

  const config = loadDeviceConfig(path.join(host.paths.config, 'recorder.json'));
  fs.mkdirSync(host.paths.data, { recursive: true });
  const index = new RecordIndex(path.join(host.paths.data, INDEX_DIR));
  await index.open();
  const recovery = await recoverOpenRecordings(host.paths.data, index, config.recording.minFileS, log);
  if (recovery.recovered.length || recovery.discarded.length) {
    log.info({ recovered: recovery.recovered.length, discarded: recovery.discarded.length }, 'recordings recovered after power loss');
  }

  const alarms = new AlarmList(log);
  const recorder = new Recorder(host.paths.data, index, config.recording.codec, log);
  const channelCount = board.channels.analog;
  const channels = Array.from(
    { length: channelCount },
    (_, ch) => new ChannelPipeline(ch, channelConfigOf(config, ch), config.recording, recorder, alarms),
  );

  const link = new LineCardLink(
    host.linecard,
    clock,
    {
      onUp: (hello) => {
        alarms.clear('linecard-down');
        if (hello.channelCount < channelCount) {
          alarms.raise('linecard-channels', 'major', 'device', `line card reports ${hello.channelCount} of ${channelCount} channels`, clock.now());
        }
      },
      onDown: (reason) => {
        const now = clock.now();
        alarms.raise('linecard-down', 'critical', 'device', `line card not answering: ${reason}`, now);
        for (const ch of channels) ch.onLinkDown(now);
      },
      onLineStatus: (e) => channels[e.channel]?.onLineStatus(e.voltage, e.ringing, clock.now()),
      onAudio: (ch, codec, samples, missing) => channels[ch]?.onAudio(codec, samples, missing, clock.now()),
    },
    log.child({ part: 'linecard' }),
    { channelCount },
  );

  const timers: TimerHandle[] = [];
  let lastLinkErrors = 0;
  timers.push(
    clock.setInterval(() => {
      const now = clock.now();
      for (const ch of channels) ch.tick(now);
      recorder.flushAll(now);
    }, TICK_MS),
  );
  const checkDisk = async () => {
    const usage = await host.disk.usage(host.paths.data);
    panel.setDiskPresent(usage !== null);
    if (usage === null) alarms.raise('disk-missing', 'critical', 'disk', 'data disk not present', clock.now());
    else alarms.clear('disk-missing');
    const s = link.stats;
    const errors = s.crcErrors + s.malformedFrames + s.unknownFrames;
    if (errors > lastLinkErrors) {
      alarms.raise('linecard-errors', 'minor', 'device', `line card link errors: ${errors} bad frames so far`, clock.now());
    }
    lastLinkErrors = errors;
  };
  timers.push(clock.setInterval(() => void checkDisk().catch((e: unknown) => log.error({ err: String(e) }, 'disk check failed')), DISK_CHECK_MS));
  await checkDisk();

  const daemon: Daemon = {
    port: 0,
    board,
    config,
    link,
    channels,
    recorder,
    index,
    alarms,
    panel,
    startedAt,
    now: () => clock.now(),
    stop: async () => {
      for (const t of timers) t.cancel();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await link.stop();
      const now = clock.now();
      for (const ch of channels) ch.shutdown(now);
      await recorder.drain();
      await index.close();
      panel.shutdown();
      await host.gpio.close();
      await host.sensors.close();
      log.info('recorder stopped');
    },
  };

  const app = createApp(daemon, VERSION, log);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, opts.listenHost ?? '0.0.0.0', () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  (daemon as { port: number }).port = typeof address === 'object' && address ? address.port : opts.port;

  link.start();
  panel.setRunMode('running');
  log.info({ board: board.model, channels: channelCount, port: daemon.port, data: host.paths.data }, 'recorder running');
  return daemon;
}
