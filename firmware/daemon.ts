/**
 * The recorder daemon's wiring: the line-card link, one pipeline per analog
 * channel, the recorder and index, the front panel, alarms, live events and
 * the application services built on them. Every hardware and OS access goes
 * through the injected host. Interfaces (HTTP, console) are opened by the
 * entry point on `daemon.services`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Host, TimerHandle } from './host/host.ts';
import { indexOptionsOf, type Board } from './board/board-schema.ts';
import { LineCardLink } from './linecard/linecard-link.ts';
import { ChannelPipeline } from './channels/channel-pipeline.ts';
import { AlarmList } from './alarms/alarm-list.ts';
import { FrontPanel } from './panel/front-panel.ts';
import { Recorder } from './recording/recorder.ts';
import { openRecordingStorage } from './recording/recording-storage.ts';
import { SettingsStore, type SettingsChange } from './settings/settings-store.ts';
import { recordingAreas } from './settings/settings-schema.ts';
import { openJournal } from './journal/journal.ts';
import { analogRef, type ChannelRef } from './ports/channel-ref.ts';
import { EventBus } from './events/event-bus.ts';
import { AudioTap } from './events/audio-tap.ts';
import { SeatAccess } from './app/seat-access.ts';
import { ListenService } from './app/listen-service.ts';
import { SeatService } from './app/seat-service.ts';
import type { BoxEvent } from './events/box-events.ts';
import type { RecordEntry } from './recording/record-entry.ts';
import { BUILD_INFO, VERSION } from './version.ts';
import { Auditor } from './app/audit.ts';
import { SYSTEM } from './app/principal.ts';
import { ChannelService } from './app/channel-service.ts';
import { RecordService } from './app/record-service.ts';
import { StorageService } from './app/storage-service.ts';
import { PlaybackService } from './app/playback-service.ts';
import { DownloadService } from './app/download-service.ts';
import { ExportService } from './app/export-service.ts';
import { StatisticsService } from './app/statistics-service.ts';
import { AlarmService } from './app/alarm-service.ts';
import { DeviceService } from './app/device-service.ts';
import { SettingsService } from './app/settings-service.ts';
import { JournalService } from './app/journal-service.ts';
import type { Services } from './app/services.ts';
import { CustodyService } from './app/custody-service.ts';
import { CustodyBox } from './custody/custody-box.ts';
import { VoipService } from './app/voip-service.ts';
import { VoipRecording } from './voip/voip-recording.ts';
import { AccountStore } from './accounts/account-store.ts';
import { AuthService } from './app/auth-service.ts';
import { AccountService } from './app/account-service.ts';
import { TrunkService } from './app/trunk-service.ts';
import { TrunkPorts } from './trunks/trunk-ports.ts';
import { SystemConfigStore } from './settings/system-config.ts';
import { NetworkService } from './app/network-service.ts';
import { TimeService } from './app/time-service.ts';
import { SystemService } from './app/system-service.ts';
import { WatchdogFeeder } from './app/watchdog-feeder.ts';
import { RecordingPathHealth } from './system/recording-health.ts';
import { startMaintenance, type MaintenanceOptions } from './maintenance.ts';
import { applyRequestedFactoryReset } from './settings/factory-reset.ts';
import { deviceManagementServices, openLicensing } from './device-management.ts';
import { NasService } from './app/nas-service.ts';
import { openNasBackup } from './nas/open-nas-backup.ts';
import { CascadeService } from './app/cascade-service.ts';
import { SlaveRegistry } from './cascade/slave-registry.ts';
import { MasterLink } from './cascade/master-link.ts';
import { ObjectStoreService } from './app/object-store-service.ts';
import { ArchiveUploader } from './objectstore/archive-uploader.ts';
import { loadObjectStoreSettings } from './objectstore/settings-file.ts';
import { remoteCopiesOf } from './objectstore/remote-copies.ts';

export interface DaemonOptions {
  host: Host;
  board: Board;
  log: Logger;
  /** The HTTP port the entry point listens on unless a web port is saved (系统设置). */
  webPort?: number;
  /** Limits of the saved logs and the running log, alarm-mail pacing (defaults for the box). */
  maintenance?: MaintenanceOptions;
  /** Trial length (the manual's 32 hours); tests shorten it. */
  trialHours?: number;
  /** How long a newly activated version has to become healthy before it is rolled back. */
  upgradeHealthTimeoutMs?: number;
  /** Told what a long start-up step (an index conversion) has done so far, for the supervisor. */
  startupProgress?: (what: string) => void;
}

export interface Daemon {
  readonly board: Board;
  readonly services: Services;
  /** Resolves once every recording closed so far is indexed. */
  drain(): Promise<void>;
  /** Ends the recordings in progress and closes the index; the entry point closes its interfaces first. */
  stop(): Promise<void>;
}

const TICK_MS = 100;
const DISK_CHECK_MS = 5000;

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { host, board, log } = opts;
  const { clock } = host;
  const now = () => clock.now();
  const startedAt = now();
  const panel = new FrontPanel(host.gpio, clock);
  panel.powerOn();
  const events = new EventBus();
  const tap = new AudioTap();
  const publish = (e: BoxEvent) => events.publish(e);
  const channelCount = board.channels.analog;
  const e1Count = board.capabilities.e1Recording ? board.channels.e1 : 0;
  let trunks: TrunkPorts | null = null;
  const hasChannel = (r: ChannelRef) => (r.portType === 'analog' && r.port === 0 && r.channel < channelCount) || (trunks?.has(r) ?? false);

  const alarms = new AlarmList(log, { now });
  alarms.onChange((c) => {
    if (c.kind === 'raised') publish({ type: 'alarm.raised', id: c.alarm.id, severity: c.alarm.severity, area: c.alarm.area, message: c.alarm.message, count: c.alarm.count, at: c.at });
    else if (c.kind === 'cleared') publish({ type: 'alarm.cleared', id: c.alarm.id, at: c.at });
  });
  const { journal, movedAside } = await openJournal(host.paths.config, log, { now });
  journal.alarms.attach(alarms, log);
  if (movedAside) alarms.raise('journal-damaged', 'minor', 'device', `operation log damaged; kept aside as ${path.basename(movedAside)}`, now());
  const auditor = new Auditor(journal.operations, now, log);
  const reset = await applyRequestedFactoryReset(host.paths.config);
  if (reset) auditor.note(SYSTEM, { item: 'system', operation: 'factory-reset', detail: `configuration back to the factory values (${reset.join(', ') || 'nothing to remove'}); recordings kept` });
  const licensing = await openLicensing({ host, board, channels: { analog: channelCount, e1: e1Count }, alarms, log, trialHours: opts.trialHours });

  const settings = await SettingsStore.open({
    dir: host.paths.config,
    hasChannel,
    e1Ports: e1Count,
    onListenerError: (e) => log.error({ err: e }, 'settings not applied'),
  });
  if (settings.loadReport.damaged) {
    alarms.raise('settings-damaged', 'major', 'device', `settings file damaged (${settings.loadReport.problems.join('; ')}); ${settings.loadReport.source} in force`, now());
  }
  const accountStore = await AccountStore.open(host.paths.config, now());
  if (accountStore.loadReport.problem) {
    alarms.raise('accounts-damaged', 'major', 'device', `accounts file damaged (${accountStore.loadReport.problem}); ${accountStore.loadReport.source} accounts in force`, now());
  }
  const auth = new AuthService(accountStore, auditor, now);
  const encryption = settings.encryption;
  fs.mkdirSync(host.paths.data, { recursive: true });
  const custody = await openCustody(host, log, alarms, now);
  const storage = await openRecordingStorage({
    dataDir: host.paths.data, settings: () => settings.recording, encryptionKey: encryption.enabled && encryption.key ? encryption.key : null,
    disk: host.disk, panel, alarms, log, now, index: indexOptionsOf(board), custody: custody?.recording,
    startupProgress: opts.startupProgress,
  });
  const { index } = storage;
  // The object-store archive (docs/object-store.md): queued as recordings finish or are archived, uploaded in the background.
  const objectStoreLoad = await loadObjectStoreSettings(host.paths.config);
  if (objectStoreLoad.problem) alarms.raise('objectstore-settings', 'major', 'device', `object store settings damaged (${objectStoreLoad.problem}); the archive is off`, now());
  let objectStore: ObjectStoreService | null = null;
  const uploader = new ArchiveUploader({
    dataDir: host.paths.data, index, clock, alarms, log: log.child({ part: 'objectstore' }),
    serial: (await host.sensors.boardId().catch(() => null)) ?? 'unknown',
    settings: () => objectStore?.inForce ?? objectStoreLoad.settings,
    publish: (s) => publish({ type: 'objectstore.status', ...s, at: now() }),
  });
  const offer = (e: RecordEntry, when: 'finished' | 'archived') => {
    uploader.offer(e, when).catch((err: unknown) => log.error({ id: e.id, err: String(err) }, 'recording not queued for the object store; queued at the next start'));
  };
  storage.archiver.onArchived = (e) => offer(e, 'archived');
  const refOf = (e: RecordEntry) => ({ portType: e.portType, port: e.port, channel: e.channel });
  const recorder = new Recorder(host.paths.data, index, () => settings.recording.codec, storage.finisher, log, {
    twoLegLayout: () => settings.recording.twoPartyLayout,
    doNotRecord: (n) => settings.doNotRecord.matches(n),
    custody: custody?.recording,
    admit: (ref, openOf) => licensing.admits(ref, openOf('voip')),
    events: {
      started: (e) => publish({ type: 'recording.started', ref: refOf(e), id: e.id, callId: e.callId, callType: e.callType, startMode: e.startMode, remoteNumber: e.remoteNumber, at: e.startedAt }),
      updated: (e) => publish({ type: 'recording.updated', ref: refOf(e), id: e.id, lineNumber: e.lineNumber, remoteNumber: e.remoteNumber, callerName: e.callerName, at: now() }),
      stopped: (e, kept) => publish({ type: 'recording.stopped', ref: refOf(e), id: e.id, stopMode: e.stopMode!, durationMs: e.durationMs, kept, at: now() }),
      indexed: (e) => {
        publish({ type: 'recording.indexed', ref: refOf(e), id: e.id, record: e, at: now() });
        offer(e, 'finished');
      },
    },
  });
  const channels = Array.from(
    { length: channelCount },
    (_, ch) => new ChannelPipeline(ch, settings.channel(analogRef(ch)), settings.recording, recorder, alarms, { events, tap }),
  );
  let link: LineCardLink | null = null;
  trunks = new TrunkPorts({
    count: e1Count, settings, recorder, alarms, events, audio: tap, now,
    configureCard: (port, config) => {
      link?.command({ type: 'e1Configure', port, ...config }).catch((e: unknown) => log.warn({ port, err: (e as Error).message }, 'E1 port configuration not taken by the line card'));
    },
  });
  const e1 = trunks;
  // Settings apply at once: channel parameters to their channel, call parameters to every channel, disk and archive to storage.
  settings.onChange((change: SettingsChange) => {
    const t = now();
    const areas = recordingAreas(change.recording);
    if (areas.calls) for (const ch of channels) ch.configure(settings.channel(ch.ref), settings.recording, t);
    else for (const c of change.channels) if (c.ref.portType === 'analog' && hasChannel(c.ref)) channels[c.ref.channel]!.configure(c.config, settings.recording, t);
    if (areas.disk || areas.archive) storage.reconfigure(t);
  });

  link = new LineCardLink(
    host.linecard,
    clock,
    {
      onUp: (hello) => {
        alarms.clear('linecard-down');
        publish({ type: 'linecard.up', detail: `${hello.model} ${hello.firmwareVersion}`, at: now() });
        if (hello.channelCount < channelCount) {
          alarms.raise('linecard-channels', 'major', 'device', `line card reports ${hello.channelCount} of ${channelCount} channels`, now());
        }
      },
      onDown: (reason) => {
        const t = now();
        alarms.raise('linecard-down', 'critical', 'device', `line card not answering: ${reason}`, t);
        publish({ type: 'linecard.down', detail: reason, at: t });
        for (const ch of channels) ch.onLinkDown(t);
        e1.onLinkDown(t);
      },
      onLineStatus: (e) => channels[e.channel]?.onLineStatus(e.voltage, e.ringing, now()),
      onAudio: (ch, codec, samples, missing) => channels[ch]?.onAudio(codec, samples, missing, now()),
      onE1Block: (block) => e1.onBlock(block),
      onE1Status: (entry) => e1.onStatus(entry),
    },
    log.child({ part: 'linecard' }),
    { channelCount, e1Ports: e1Count, e1Config: (port) => e1.linkConfig(port) },
  );
  const cardLink = link;

  const voip = new VoipRecording({
    recorder, events, tap, clock, alarms, settings, log: log.child({ part: 'voip' }), capacity: board.capabilities.voipRecording ? board.capabilities.voipCalls : 0,
  });

  const timers: TimerHandle[] = [];
  let ticks = 0;
  let lastLinkErrors = 0;
  let lastDiskLevel: string | null = null;
  timers.push(
    clock.setInterval(() => {
      const t = now();
      ticks++;
      for (const ch of channels) ch.tick(t);
      e1.tick(t);
      recorder.flushAll(t);
    }, TICK_MS),
  );
  const checkDisk = async () => {
    await storage.checkDisk();
    const report = storage.maintenance.report;
    const present = report?.present ?? false;
    panel.setDiskPresent(present);
    if (!present) alarms.raise('disk-missing', 'critical', 'disk', 'data disk not present', now());
    else alarms.clear('disk-missing');
    const level = present ? report!.level : 'missing';
    if (level !== lastDiskLevel) {
      lastDiskLevel = level;
      publish({ type: 'disk.level', level, usedPercent: present ? report!.usedPercent : null, at: now() });
    }
    storage.tick(now());
    const s = cardLink.stats;
    const errors = s.crcErrors + s.malformedFrames + s.unknownFrames;
    if (errors > lastLinkErrors) {
      alarms.raise('linecard-errors', 'minor', 'device', `line card link errors: ${errors} bad frames so far`, now());
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

  const formatDataDisk = async (stage: (stage: string, percent: number) => void = () => undefined) => {
    const t = now();
    stage('stopping-recordings', 5);
    for (const ch of channels) ch.shutdown(t);
    e1.shutdown(t);
    await voip.endCalls('shutdown');
    await recorder.drain();
    stage('erasing', 20);
    await storage.format(host.disk);
    stage('preparing', 90);
    recorder.prepareFolders();
    await custody?.restart('data disk formatted');
  };

  const systemConfig = await SystemConfigStore.open(host.paths.config);
  for (const problem of systemConfig.problems) alarms.raise('system-config-damaged', 'major', 'device', `${problem}; factory values in force`, now());
  const health = new RecordingPathHealth();
  const feeder = new WatchdogFeeder(host.watchdog, clock, () => health.check({ at: now(), ticks, ...recorder.jobs }), log.child({ part: 'watchdog' }));
  const network = new NetworkService({ store: systemConfig, network: host.network, audit: auditor, clock, alarms });
  const time = new TimeService({
    store: systemConfig, time: host.time, audit: auditor, now,
    onClockStep: (stepMs) => {
      log.info({ stepMs }, 'clock set by hand');
      auth.clockStepped(stepMs);
      seatService.clockStepped(stepMs);
      for (const ch of channels) ch.shiftTime(stepMs);
      voip.shiftTime(stepMs);
    },
  });
  const system = new SystemService({
    store: systemConfig, daemons: host.daemons, cpu: host.cpu, feeder, audit: auditor, clock, alarms, log: log.child({ part: 'system' }), startPort: opts.webPort,
  });

  const channelService = new ChannelService(() => [...channels, ...e1.timeslots], auditor, now);
  // The box's channels are fixed at start (analog lines, E1 timeslots): seat scopes read their references, not their live views.
  const channelRefs = [...channels, ...e1.timeslots].map((c) => c.ref);
  const boxChannels = () => channelRefs;
  const seatAccess = new SeatAccess(settings, boxChannels);
  const records = new RecordService(host.paths.data, index, storage.store, () => storage.finisher.key, auditor, custody, seatAccess, remoteCopiesOf(uploader));
  objectStore = new ObjectStoreService(objectStoreLoad.settings, host.paths.config, uploader, auditor);
  const storageService = new StorageService(storage, formatDataDisk, auditor, now, seatAccess);
  const listen = new ListenService(tap, seatAccess, auditor, now, (r) => hasChannel(r) || r.portType === 'voip', (f) => licensing.has(f));
  const custodyService = custody ? new CustodyService(custody, index, auditor) : null;
  const seatService = new SeatService(settings, seatAccess, listen, events, auditor, now, boxChannels, () => accountStore.access.idleLogoutMinutes * 60_000, {
    has: (f) => licensing.has(f),
    seats: () => licensing.entitlement.features.cloudSeats,
  });
  const management = deviceManagementServices({
    host, board, running: BUILD_INFO.version, licensing, auditor, accounts: accountStore, records, storage: storageService, formatDisk: formatDataDisk, publish, log,
  });
  const alarmService = new AlarmService(alarms, journal);
  const journalService = new JournalService(journal);
  const device = new DeviceService({
    board, build: BUILD_INFO, version: VERSION, startedAt, now, link: cardLink, panel, recorder, maintenance: storage.maintenance, sensors: host.sensors, alarms,
    custodyKey: custody ? () => custody.key() : undefined,
    license: () => management.license.status(),
  });
  const maintenance = await startMaintenance({
    host, board, log, alarms, settings, events, link: cardLink, recorder, auditor, device, alarmService, journal: journalService, startedAt,
    recoveredAtStart: storage.startup.recovered,
    channels: () => ({ analog: channelCount, e1Timeslots: e1.timeslots.length, recording: recorder.queue.open }),
    options: opts.maintenance,
  });
  const nas = await openNasBackup({ host, index, settings, alarms, publish, log: log.child({ part: 'nas' }), storage });
  const serial = (await host.sensors.boardId().catch(() => null)) ?? 'unknown';
  let cascade: CascadeService | null = null;
  const masterLink = new MasterLink(clock, () => settings.cascade, () => cascade!.boxId, (s) => {
    publish({ type: 'cascade.box', box: 'master', state: s.state === 'registered' ? 'online' : s.state === 'invalid' ? 'invalid' : 'down', detail: s.detail, at: now() });
  });
  cascade = new CascadeService(settings, serial, SlaveRegistry.in(host.paths.config), masterLink, records, storageService, auditor, publish, now);
  settings.onChange((c) => {
    if (c.cascade) masterLink.reconfigure();
  });
  const services: Services = {
    events,
    audio: tap,
    channels: channelService,
    records,
    storage: storageService,
    playback: new PlaybackService(records),
    downloads: new DownloadService(records, now),
    exports: new ExportService(records, storageService, now, custodyService ? (e) => custodyService.signatureOfEntry(e) : undefined),
    statistics: new StatisticsService(index, seatAccess),
    alarms: alarmService,
    listen,
    seats: seatService,
    settings: new SettingsService(settings, hasChannel, auditor),
    journal: journalService,
    trunks: new TrunkService(e1.ports, settings, auditor),
    nas: new NasService(settings, nas, auditor),
    cascade,
    objectStore,
    custody: custodyService,
    voip: new VoipService(voip, settings, recorder, auditor, voip.media.capacity),
    auth,
    accounts: new AccountService(accountStore, auth, auditor, now),
    network,
    time,
    system,
    device,
    mail: maintenance.mail,
    systemLog: maintenance.systemLog,
    diagnostics: maintenance.diagnostics,
    ...management,
    now,
  };

  journal.startRetention(clock);
  await licensing.start(() => cardLink.up);
  management.upgrades.watchHealth(() => cardLink.up && storage.maintenance.report?.present === true, opts.upgradeHealthTimeoutMs)
    .catch((e: unknown) => log.error({ err: (e as Error).message }, 'upgrade health check failed'));
  await uploader.start();
  cardLink.start();
  await voip.start();
  masterLink.reconfigure();
  panel.setRunMode('running');
  await network.start();
  await time.start().catch((e: unknown) => alarms.raise('time-settings', 'minor', 'device', `time settings not applied: ${(e as Error).message}`, now()));
  await system.start();
  const { startup } = storage;
  if (startup.recovered || startup.discarded || startup.purgesFinished) {
    auditor.note(SYSTEM, {
      item: 'system', operation: 'recover',
      detail: `after a power loss: ${startup.recovered} recordings closed and indexed, ${startup.discarded} too short discarded, ${startup.purgesFinished} purges finished`,
    });
  }
  auditor.note(SYSTEM, { item: 'system', operation: 'start', detail: `${board.model}, ${channelCount} analog channels${e1Count ? `, ${e1Count} E1 ports` : ''}` });
  log.info({ board: board.model, channels: channelCount, data: host.paths.data }, 'recorder started');

  return {
    board,
    services,
    drain: () => recorder.drain(),
    stop: async () => {
      for (const t of timers) t.cancel();
      network.stop();
      await system.stop();
      await maintenance.stop();
      await licensing.stop();
      management.upgrades.stop();
      masterLink.stop();
      await voip.stop();
      await cardLink.stop();
      const t = now();
      for (const ch of channels) ch.shutdown(t);
      e1.shutdown(t);
      await recorder.drain();
      await nas?.close();
      await uploader.stop();
      await storage.close();
      await custody?.close();
      await settings.idle();
      await journal.close();
      panel.shutdown();
      await host.gpio.close();
      await host.sensors.close();
      log.info('recorder stopped');
    },
  };
}

/**
 * The chain of custody (docs/custody.md): the device key in the configuration
 * folder, the chain on the data disk. Recording goes on without it when the
 * key cannot be read or made (alarm `custody-key`).
 */
async function openCustody(host: Host, log: Logger, alarms: AlarmList, now: () => number): Promise<CustodyBox | null> {
  const serial = (await host.sensors.boardId().catch(() => null)) ?? 'unknown';
  try {
    return await CustodyBox.open({
      configDir: host.paths.config, dataDir: host.paths.data, serial, now, log: log.child({ part: 'custody' }),
      health: {
        failed: (reason) => (reason ? alarms.raise('custody-chain', 'major', 'device', reason, now()) : alarms.clear('custody-chain')),
        damaged: (reason) => alarms.raise('custody-damaged', 'major', 'device', reason, now()),
      },
    });
  } catch (e) {
    log.error({ err: (e as Error).message }, 'chain of custody not available; recordings are not signed');
    alarms.raise('custody-key', 'major', 'device', `chain of custody not available: ${(e as Error).message}`, now());
    return null;
  }
}
