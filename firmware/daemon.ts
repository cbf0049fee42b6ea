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
import { indexOptionsOf, type Board } from './board/board-schema.ts';
import { LineCardLink } from './linecard/linecard-link.ts';
import { ChannelPipeline } from './channels/channel-pipeline.ts';
import { AlarmList } from './alarms/alarm-list.ts';
import { FrontPanel } from './panel/front-panel.ts';
import type { RecordIndex } from './recording/record-index.ts';
import { Recorder } from './recording/recorder.ts';
import { openRecordingStorage, type RecordingStorage } from './recording/recording-storage.ts';
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
  readonly storage: RecordingStorage;
  readonly alarms: AlarmList;
  readonly panel: FrontPanel;
  readonly startedAt: number;
  /** The daemon's clock (virtual in tests). */
  now(): number;
  /** Ends the recordings in progress and erases the data disk. */
  formatDataDisk(): Promise<void>;
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
  const alarms = new AlarmList(log);
  const storage = await openRecordingStorage({
    dataDir: host.paths.data, config, disk: host.disk, panel, alarms, log, now: () => clock.now(), index: indexOptionsOf(board),
  });
  const { index } = storage;
  const recorder = new Recorder(host.paths.data, index, config.recording.codec, storage.finisher, log);
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
    await storage.checkDisk();
    const present = storage.maintenance.report?.present ?? false;
    panel.setDiskPresent(present);
    if (!present) alarms.raise('disk-missing', 'critical', 'disk', 'data disk not present', clock.now());
    else alarms.clear('disk-missing');
    storage.tick(clock.now());
    const s = link.stats;
    const errors = s.crcErrors + s.malformedFrames + s.unknownFrames;
    if (errors > lastLinkErrors) {
      alarms.raise('linecard-errors', 'minor', 'device', `line card link errors: ${errors} bad frames so far`, clock.now());
    }
    lastLinkErrors = errors;
  };
  let checking = false;
  timers.push(
    clock.setInterval(() => {
      if (checking) return; // a long maintenance round is still going
      checking = true;
      checkDisk()
        .catch((e: unknown) => log.error({ err: String(e) }, 'disk check failed'))
        .finally(() => {
          checking = false;
        });
    }, DISK_CHECK_MS),
  );
  await checkDisk();

  const daemon: Daemon = {
    port: 0,
    board,
    config,
    link,
    channels,
    recorder,
    index,
    storage,
    alarms,
    panel,
    startedAt,
    now: () => clock.now(),
    formatDataDisk: async () => {
      const now = clock.now();
      for (const ch of channels) ch.shutdown(now);
      await recorder.drain();
      await storage.format(host.disk);
      recorder.prepareFolders();
    },
    stop: async () => {
      for (const t of timers) t.cancel();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await link.stop();
      const now = clock.now();
      for (const ch of channels) ch.shutdown(now);
      await recorder.drain();
      await storage.close();
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
