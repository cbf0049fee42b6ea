/** `ntp [on|off|server <primary> [<backup>]]`: NTP (时间设置) through the time service: its state, on or off, its servers. */
import { UsageError, type CommandContext, type ConsoleCommand } from '../console-command.ts';
import type { TimeSettings } from '../../app/vocabulary.ts';
import { fields, localTime } from '../format.ts';

export const ntp: ConsoleCommand = {
  name: 'ntp',
  summary: 'NTP time synchronisation: state, on or off, servers',
  usage: [
    'ntp                                   servers, synchronisation state, offset',
    'ntp on | ntp off                      follow the NTP servers, or set the clock by hand (date set)',
    'ntp server <primary>[:port] [<backup>[:port]]   e.g. ntp server pool.ntp.org 192.168.1.1:123',
  ],
  subcommands: ['on', 'off', 'server'],
  async run(ctx, args) {
    const [sub, ...rest] = args;
    if (sub === undefined) return show(ctx);
    const settings = (await ctx.services.time.view()).settings;
    let next: TimeSettings;
    if ((sub === 'on' || sub === 'off') && rest.length === 0) next = { ...settings, ntp: sub === 'on' };
    else if (sub === 'server' && rest.length >= 1 && rest.length <= 2) {
      const primary = hostPort(rest[0]!, settings.primaryPort);
      const backup = rest[1] === undefined ? { host: '', port: settings.backupPort } : hostPort(rest[1], settings.backupPort);
      next = { ...settings, primaryServer: primary.host, primaryPort: primary.port, backupServer: backup.host, backupPort: backup.port };
    } else throw new UsageError();
    await ctx.services.time.set(ctx.principal, next);
    return show(ctx);
  },
};

function hostPort(text: string, defaultPort: number): { host: string; port: number } {
  const [host = '', port] = text.split(':');
  const n = port === undefined ? defaultPort : Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`'${port}' is not a port (1 to 65535).`);
  return { host, port: n };
}

async function show(ctx: CommandContext): Promise<void> {
  const v = await ctx.services.time.view();
  const s = v.settings;
  const rows: Array<readonly [string, string]> = [
    ['NTP', s.ntp ? 'on' : 'off (the clock is set by hand: date set)'],
    ['Primary server', `${s.primaryServer || '-'}:${s.primaryPort}`],
    ['Backup server', s.backupServer ? `${s.backupServer}:${s.backupPort}` : 'none'],
    ['Sync period', `${s.syncPeriodS} s`],
    ['Time zone', s.zone],
    ['Time', localTime(v.now)],
  ];
  if (s.ntp) {
    const n = v.ntp;
    if (!n) rows.push(['State', 'chrony does not answer']);
    else {
      rows.push(['State', n.synchronised ? `synchronised to ${n.server ?? '?'}${n.stratum !== null ? `, stratum ${n.stratum}` : ''}` : 'not synchronised']);
      if (n.offsetS !== null) rows.push(['Offset', `${(n.offsetS * 1000).toFixed(3)} ms`]);
      for (const src of n.sources) rows.push([`Source ${src.address}`, `${src.state} ${src.reachable ? 'reachable' : 'unreachable'}`]);
    }
  }
  ctx.out.print(fields(rows));
}
