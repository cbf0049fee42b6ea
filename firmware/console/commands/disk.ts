/** `disk`: the data disk's use, level and recording hours left, and the archive schedule. */
import type { ConsoleCommand } from '../console-command.ts';
import { bytes, fields, localTime } from '../format.ts';

export const disk: ConsoleCommand = {
  name: 'disk',
  summary: 'data disk use, recording hours left, archive schedule',
  usage: ['disk'],
  async run(ctx) {
    const u = ctx.services.storage.usage();
    const d = u.disk;
    const lines: Array<readonly [string, string]> = d
      ? d.present
        ? [
            ['Disk', `present, level ${d.level.toUpperCase()}`],
            ['Size', bytes(d.totalBytes)],
            ['Used', `${d.usedPercent}% (${bytes(d.totalBytes - d.freeBytes)})`],
            ['Free', bytes(d.freeBytes)],
            ['Recording left', `about ${Math.floor(d.remainingHours)} hours`],
            ['Deleted by maintenance', String(d.deletedByMaintenance)],
          ]
        : [['Disk', 'NOT PRESENT']]
      : [['Disk', 'not checked yet']];
    lines.push(['Encryption at rest', u.encryption.enabled ? 'on' : 'off']);
    lines.push(['Archive', u.archive.running ? 'running now' : `next at ${localTime(u.archive.nextAt)}`]);
    ctx.out.print(fields(lines));
  },
};
