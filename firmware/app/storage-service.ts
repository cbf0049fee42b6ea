/**
 * The data disk and what runs on it: usage and the recording hours left
 * (约可录…小时), statistics (录音统计), archive now (录音归档), a maintenance
 * round now, and formatting (格式化).
 */
import { RecorderError } from '../errors.ts';
import type { RecordingStorage } from '../recording/recording-storage.ts';
import type { ArchiveReport } from '../recording/archiver.ts';
import type { DiskReport } from '../recording/disk-maintenance.ts';
import { channelStats, type StatsQuery } from '../recording/stats-query.ts';
import type { ChannelStats } from '../recording/call-stats.ts';
import { dayLabel, localDay } from '../recording/local-day.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import { OPEN_ACCESS, type SeatAccess } from './seat-access.ts';
import { refKey } from '../ports/channel-ref.ts';

export interface StorageUsage {
  disk: DiskReport | null;
  encryption: { enabled: boolean };
  archive: { running: boolean; nextAt: number; today: string };
}

export interface StatsResult {
  items: ChannelStats[];
  total: Omit<ChannelStats, 'portType' | 'port' | 'channel'>;
}

export class StorageService {
  constructor(
    private readonly storage: RecordingStorage,
    private readonly formatDisk: () => Promise<void>,
    private readonly audit: Auditor,
    private readonly now: () => number,
    private readonly access: SeatAccess = OPEN_ACCESS,
  ) {}

  usage(): StorageUsage {
    const s = this.storage;
    return {
      disk: s.maintenance.report,
      encryption: { enabled: s.finisher.key !== null },
      archive: { running: s.archiver.busy, nextAt: s.nextArchiveAt, today: dayLabel(localDay(this.now())) },
    };
  }

  /** Statistics per channel; a seat's rows are the channels its sync right reaches. */
  async stats(principal: Principal, q: StatsQuery): Promise<StatsResult> {
    if (q.fromDay > q.toDay) throw new RecorderError('BAD_REQUEST', 'from is after to');
    const scope = this.access.scope(principal, 'sync');
    const items = (await channelStats(this.storage.index, q)).filter((r) => scope.all || scope.keys.has(refKey(r)));
    const total = { incoming: 0, outgoing: 0, missed: 0, recordings: 0, durationMs: 0 };
    for (const r of items) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    return { items, total };
  }

  archiveNow(principal: Principal): Promise<ArchiveReport> {
    return this.audit.run(principal, { item: 'storage', operation: 'archive' }, () => this.storage.archiveNow(), (r) => JSON.stringify(r));
  }

  maintenanceNow(principal: Principal): Promise<DiskReport | null> {
    return this.audit.run(principal, { item: 'storage', operation: 'maintain' }, async () => {
      await this.storage.checkDisk();
      return this.storage.maintenance.report;
    });
  }

  /** Erases every recording and the index. */
  format(principal: Principal): Promise<void> {
    return this.audit.run(principal, { item: 'storage', operation: 'format' }, () => this.formatDisk());
  }
}
