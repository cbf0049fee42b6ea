/**
 * Disk maintenance (manual 3.5 磁盘自动维护): watches the data disk's usage,
 * drives HALF, FULL and the buzzer, raises and clears the disk alarms, and,
 * with automatic maintenance on, deletes the oldest recordings while the free
 * space is below the reserve: first those already marked deleted, then the
 * oldest others, a set number per round, never those marked important.
 */
import type { Disk, DiskUsage } from '../host/host.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { FrontPanel } from '../panel/front-panel.ts';
import type { RecordStore } from './record-store.ts';
import { oldestRecords } from './record-query.ts';
import type { RecordFormat } from './record-entry.ts';

export interface MaintenanceSettings {
  diskAlarmPercent: number;
  reservePercent: number;
  autoMaintenance: boolean;
  deletePerRound: number;
}

export interface MaintenanceLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DiskReport {
  present: boolean;
  totalBytes: number;
  freeBytes: number;
  usedPercent: number;
  level: 'ok' | 'half' | 'full';
  /** Hours of one line's audio the free space still holds (约可录…小时). */
  remainingHours: number;
  /** Recordings deleted by maintenance since the start. */
  deletedByMaintenance: number;
}

/** Bytes per hour of one line in a format (8 kHz mono). */
export function bytesPerHour(format: RecordFormat, mp3Kbps = 16): number {
  const perSecond = { alaw: 8000, ulaw: 8000, pcm16: 16000, 'ima-adpcm': 4056, mp3: (mp3Kbps * 1000) / 8 }[format];
  return perSecond * 3600;
}

const MAX_ROUNDS_PER_CHECK = 20;

export class DiskMaintenance {
  private deleted = 0;
  private last: DiskReport | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly disk: Disk,
    private readonly store: RecordStore,
    private readonly panel: FrontPanel,
    private readonly alarms: AlarmList,
    private settings: MaintenanceSettings,
    private readonly format: () => { format: RecordFormat; mp3Kbps: number },
    private readonly log: MaintenanceLogger,
    private readonly now: () => number,
  ) {}

  configure(settings: MaintenanceSettings): void {
    this.settings = settings;
  }

  get report(): DiskReport | null {
    return this.last;
  }

  /** One check: usage, LEDs and alarms, then maintenance rounds while below the reserve. */
  async check(): Promise<DiskReport> {
    let usage = await this.disk.usage(this.dataDir);
    // LEDs and alarms show the level reached before maintenance frees space.
    this.apply(usage);
    let rounds = 0;
    while (usage && this.settings.autoMaintenance && this.overReserve(usage) && rounds < MAX_ROUNDS_PER_CHECK) {
      const removed = await this.round();
      if (removed === 0) {
        this.alarms.raise('disk-maintenance', 'major', 'disk', 'disk above the reserve and nothing left that maintenance may delete', this.now());
        break;
      }
      this.alarms.clear('disk-maintenance');
      rounds++;
      usage = await this.disk.usage(this.dataDir);
    }
    return this.apply(usage);
  }

  /** Deletes up to one round of recordings; how many went. */
  async round(): Promise<number> {
    const n = this.settings.deletePerRound;
    let victims = await oldestRecords(this.store.index, n, true);
    if (victims.length < n) victims = victims.concat(await oldestRecords(this.store.index, n - victims.length, false));
    if (!victims.length) return 0;
    await this.store.purge(victims);
    this.deleted += victims.length;
    this.log.info(
      { deleted: victims.length, oldest: new Date(victims[0]!.startedAt).toISOString(), newest: new Date(victims.at(-1)!.startedAt).toISOString() },
      'disk maintenance deleted the oldest recordings',
    );
    return victims.length;
  }

  private overReserve(u: DiskUsage): boolean {
    return (100 * u.freeBytes) / u.totalBytes < this.settings.reservePercent;
  }

  private apply(usage: DiskUsage | null): DiskReport {
    const now = this.now();
    if (!usage || usage.totalBytes === 0) {
      this.panel.setDiskLevel('ok');
      this.last = { present: false, totalBytes: 0, freeBytes: 0, usedPercent: 0, level: 'ok', remainingHours: 0, deletedByMaintenance: this.deleted };
      return this.last;
    }
    const usedPercent = 100 - (100 * usage.freeBytes) / usage.totalBytes;
    const level = usedPercent > this.settings.diskAlarmPercent ? 'full' : this.overReserve(usage) ? 'half' : 'ok';
    this.panel.setDiskLevel(level);
    if (level === 'full') {
      this.alarms.raise('disk-full', 'critical', 'disk', `data disk ${usedPercent.toFixed(1)} % used, above the alarm threshold of ${this.settings.diskAlarmPercent} %`, now);
    } else this.alarms.clear('disk-full');
    if (level !== 'ok') {
      this.alarms.raise('disk-reserve', 'minor', 'disk', `data disk free space below the reserve of ${this.settings.reservePercent} %`, now);
    } else this.alarms.clear('disk-reserve');
    const { format, mp3Kbps } = this.format();
    this.last = {
      present: true,
      totalBytes: usage.totalBytes,
      freeBytes: usage.freeBytes,
      usedPercent: Math.round(usedPercent * 10) / 10,
      level,
      remainingHours: Math.floor(usage.freeBytes / bytesPerHour(format, mp3Kbps)),
      deletedByMaintenance: this.deleted,
    };
    return this.last;
  }
}
