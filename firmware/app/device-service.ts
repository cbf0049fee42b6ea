/**
 * Device information (设备信息) and health: versions and build time, serial,
 * board and licensed capabilities, uptime, CPU use, temperature, the data
 * disk's totals and the recording hours left, the line-card link, LEDs and
 * recorder counters.
 */
import os from 'node:os';
import type { Board } from '../board/board-schema.ts';
import type { LineCardLink } from '../linecard/linecard-link.ts';
import type { FrontPanel } from '../panel/front-panel.ts';
import type { Recorder } from '../recording/recorder.ts';
import type { DiskMaintenance } from '../recording/disk-maintenance.ts';
import type { Sensors } from '../host/host.ts';
import type { BuildInfo } from '../version.ts';
import type { AlarmList, Alarm } from '../alarms/alarm-list.ts';
import type { DeviceKeyInfo } from '../custody/custody-box.ts';
import type { LicenseStatus } from './license-service.ts';

export interface DeviceInfo {
  model: string;
  name: string;
  version: string;
  builtAt: string | null;
  commit: string | null;
  serial: string | null;
  capabilities: Board['capabilities'];
  channels: Board['channels'];
  startedAt: number;
  uptimeS: number;
  /** The box's time zone (IANA name) and its offset from UTC now, in minutes: the zone days and times are shown in. */
  timeZone: string;
  utcOffsetMinutes: number;
  /** The box's clock. */
  now: number;
  /** Per cent of one core used by the recorder since the last call (or since start). */
  cpuPercent: number;
  loadAverage: number[];
  /** The recorder's resident memory, its JavaScript heap and native buffers; the box's total and free memory. */
  memory: { rssBytes: number; heapUsedBytes: number; externalBytes: number; totalBytes: number; freeBytes: number };
  temperatureC: number | null;
  disk: { present: boolean; totalBytes: number; freeBytes: number; usedPercent: number; remainingHours: number } | null;
  linecard: { up: boolean; model: string | null; firmware: string | null };
  /** The device key that signs recording statements (docs/custody.md); null when custody is not running. */
  custodyKey: DeviceKeyInfo | null;
  /** License授权: trial or activated, the licensed channels and features (docs/license.md). */
  license: LicenseStatus | null;
}

export interface DeviceStatus {
  board: string;
  leds: ReturnType<FrontPanel['state']>;
  linecard: { up: boolean; card: LineCardLink['cardInfo']; stats: LineCardLink['stats'] };
  recorder: Recorder['stats'];
  alarms: Alarm[];
}

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  board: string;
  uptimeS: number;
  linecard: { up: true; model: string | undefined; firmware: string | undefined } | { up: false };
}

export class DeviceService {
  private lastCpu = process.cpuUsage();
  private lastCpuAt = performance.now();

  constructor(
    private readonly deps: {
      board: Board;
      build: BuildInfo;
      version: string;
      startedAt: number;
      now: () => number;
      link: LineCardLink;
      panel: FrontPanel;
      recorder: Recorder;
      maintenance: DiskMaintenance;
      sensors: Sensors;
      alarms: AlarmList;
      custodyKey?: () => DeviceKeyInfo;
      license?: () => LicenseStatus;
    },
  ) {}

  health(): Health {
    const { link, board } = this.deps;
    return {
      status: link.up ? 'ok' : 'degraded',
      version: this.deps.version,
      board: board.model,
      uptimeS: this.uptimeS(),
      linecard: link.up ? { up: true, model: link.cardInfo?.model, firmware: link.cardInfo?.firmwareVersion } : { up: false },
    };
  }

  status(): DeviceStatus {
    const { link, board, panel, recorder, alarms } = this.deps;
    return {
      board: board.model,
      leds: panel.state(),
      linecard: { up: link.up, card: link.cardInfo, stats: link.stats },
      recorder: { ...recorder.stats },
      alarms: alarms.list(),
    };
  }

  async info(): Promise<DeviceInfo> {
    const { board, build, link, sensors, maintenance } = this.deps;
    const [serial, temperatureC] = await Promise.all([
      sensors.boardId().catch(() => null),
      sensors.temperatureC().catch(() => null),
    ]);
    const r = maintenance.report;
    return {
      model: board.model,
      name: board.name,
      version: this.deps.version,
      builtAt: build.builtAt ?? null,
      commit: build.commit ?? null,
      serial,
      capabilities: board.capabilities,
      channels: board.channels,
      startedAt: this.deps.startedAt,
      uptimeS: this.uptimeS(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      utcOffsetMinutes: -new Date(this.deps.now()).getTimezoneOffset(),
      now: this.deps.now(),
      cpuPercent: this.cpuPercent(),
      loadAverage: os.loadavg(),
      memory: memory(),
      temperatureC,
      disk: r ? { present: r.present, totalBytes: r.totalBytes, freeBytes: r.freeBytes, usedPercent: r.usedPercent, remainingHours: r.remainingHours } : null,
      linecard: { up: link.up, model: link.cardInfo?.model ?? null, firmware: link.cardInfo?.firmwareVersion ?? null },
      custodyKey: this.deps.custodyKey?.() ?? null,
      license: this.deps.license?.() ?? null,
    };
  }

  private uptimeS(): number {
    return Math.round((this.deps.now() - this.deps.startedAt) / 1000);
  }

  private cpuPercent(): number {
    const now = performance.now();
    const used = process.cpuUsage(this.lastCpu);
    const elapsedMs = now - this.lastCpuAt;
    this.lastCpu = process.cpuUsage();
    this.lastCpuAt = now;
    if (elapsedMs <= 0) return 0;
    return Math.round(((used.user + used.system) / 1000 / elapsedMs) * 1000) / 10;
  }
}

function memory(): DeviceInfo['memory'] {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, externalBytes: m.external + m.arrayBuffers, totalBytes: os.totalmem(), freeBytes: os.freemem() };
}
