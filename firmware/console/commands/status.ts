/** `status`: the box at a glance: model, version, uptime, time, line card, recorder, disk, alarms, LEDs. */
import type { ConsoleCommand } from '../console-command.ts';
import { bytes, duration, fields, localTime } from '../format.ts';

export const status: ConsoleCommand = {
  name: 'status',
  summary: 'the box at a glance: version, uptime, line card, recordings, disk, alarms',
  usage: ['status'],
  async run(ctx) {
    const { device } = ctx.services;
    const [info, s] = [await device.info(), device.status()];
    const leds = Object.entries(s.leds)
      .map(([k, on]) => `${k.toUpperCase()} ${on ? 'on' : 'off'}`)
      .join(', ');
    const disk = info.disk
      ? info.disk.present
        ? `${info.disk.usedPercent}% used of ${bytes(info.disk.totalBytes)}, ${bytes(info.disk.freeBytes)} free, about ${Math.floor(info.disk.remainingHours)} h of recording left`
        : 'not present'
      : 'not checked yet';
    ctx.out.print(
      fields([
        ['Model', `${info.model} (${info.name})`],
        ['Serial', info.serial ?? 'unknown'],
        ['Version', `${info.version}${info.builtAt ? `, built ${info.builtAt}` : ''}`],
        ['Time', `${localTime(info.now)} (${info.timeZone})`],
        ['Uptime', duration(info.uptimeS)],
        ['Line card', s.linecard.up ? `up, ${info.linecard.model ?? '?'} firmware ${info.linecard.firmware ?? '?'}` : 'DOWN'],
        ['Recording now', String(ctx.services.channels.list().filter((c) => c.recording).length)],
        ['Recordings since start', Object.entries(s.recorder).map(([k, v]) => `${words(k)} ${String(v)}`).join(', ')],
        ['Disk', disk],
        ['Alarms', s.alarms.length ? s.alarms.map((a) => `${a.severity}: ${a.message}`).join('; ') : 'none'],
        ['LEDs', leds],
        ['CPU, memory', `${info.cpuPercent}% of a core, ${bytes(info.memory.rssBytes)} resident, ${bytes(info.memory.freeBytes)} of ${bytes(info.memory.totalBytes)} free`],
        ...(info.temperatureC !== null ? [['Temperature', `${info.temperatureC} °C`] as const] : []),
      ]),
    );
  },
};

/** `notRecorded` → `not recorded`. */
const words = (camel: string) => camel.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
