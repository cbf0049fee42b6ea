/**
 * `ip show | set | confirm`: the IP settings (IP设置) through the network
 * service, as the web page changes them: a change is applied at once and
 * returns to the previous configuration unless it is confirmed within the
 * confirmation time; the console asks for the confirmation right away.
 */
import { UsageError, type CommandContext, type ConsoleCommand } from '../console-command.ts';
import { FACTORY_NETWORK, type NetworkSettings } from '../../app/vocabulary.ts';
import { fields, localTime } from '../format.ts';
import { maskOfPrefix, prefixOfMask } from '../netmask.ts';

const USAGE = [
  'ip show                                         the settings, and a change waiting to be confirmed',
  'ip set <address>/<prefix> [gateway <ip>] [dns <ip>[,<ip>]]',
  'ip set <address> netmask <mask> [gateway <ip>] [dns <ip>[,<ip>]]',
  'ip set dhcp                                     address from a DHCP server',
  'ip set factory                                  the factory address 192.168.123.100/24',
  'ip confirm                                      keep a change (else it returns by itself)',
  'e.g. ip set 192.168.1.20/24 gateway 192.168.1.1 dns 192.168.1.1,8.8.8.8',
];

export const ip: ConsoleCommand = {
  name: 'ip',
  summary: 'show or set the IP address, netmask, gateway and DNS',
  usage: USAGE,
  subcommands: ['show', 'set', 'confirm'],
  async run(ctx, args) {
    const [sub = 'show', ...rest] = args;
    if (sub === 'show' && rest.length === 0) return show(ctx);
    if (sub === 'confirm' && rest.length === 0) {
      await ctx.services.network.confirm(ctx.principal);
      return ctx.out.line('The new IP settings are kept.');
    }
    if (sub === 'set') return set(ctx, rest);
    throw new UsageError();
  },
};

async function show(ctx: CommandContext): Promise<void> {
  const v = await ctx.services.network.view();
  ctx.out.print(describe(v.settings, v.mac));
  if (v.pending) {
    ctx.out.line(`A change waits to be confirmed until ${localTime(v.pending.deadline)} ('ip confirm'); without it ${v.pending.previous.mode === 'dhcp' ? 'DHCP' : `${v.pending.previous.address}/${prefixOfMask(v.pending.previous.netmask) ?? '?'}`} returns.`);
  }
}

function describe(s: NetworkSettings, mac: string | null): string {
  const rows: Array<readonly [string, string]> = [['Mode', s.mode === 'dhcp' ? 'DHCP' : 'static']];
  if (s.mode === 'static') {
    rows.push(['Address', `${s.address}/${prefixOfMask(s.netmask) ?? '?'} (netmask ${s.netmask})`]);
    rows.push(['Gateway', s.gateway || 'none']);
    rows.push(['DNS', s.dns.length ? s.dns.join(', ') : 'none']);
  }
  s.extra.forEach((x, i) => {
    if (x.enabled) rows.push([`Other address ${i}`, `${x.address} (netmask ${x.netmask})`]);
  });
  if (mac) rows.push(['MAC', mac]);
  return fields(rows);
}

async function set(ctx: CommandContext, args: readonly string[]): Promise<void> {
  const current = (await ctx.services.network.view()).settings;
  const next = parseSet(current, args);
  const change = await ctx.services.network.set(ctx.principal, next);
  const seconds = Math.round(change.confirmWindowMs / 1000);
  ctx.out.print(`Applied:\n${describe(change.view.settings, change.view.mac)}`);
  const answer = await ctx.ask(`Keep the new settings? Type 'yes' within ${seconds} s, or they return to the previous ones: `);
  if (answer?.trim() === 'yes') {
    await ctx.services.network.confirm(ctx.principal);
    return ctx.out.line('The new IP settings are kept.');
  }
  const deadline = change.view.pending?.deadline;
  ctx.out.line(`Not confirmed: the previous settings return${deadline ? ` at ${localTime(deadline)}` : ''} unless 'ip confirm' comes first.`);
}

/** The settings `ip set …` asks for, from the ones in force (other addresses kept). */
export function parseSet(current: NetworkSettings, args: readonly string[]): NetworkSettings {
  const [first, ...rest] = args;
  if (!first) throw new UsageError();
  if (first === 'dhcp' || first === 'factory') {
    if (rest.length) throw new UsageError();
    return first === 'dhcp' ? { ...current, mode: 'dhcp' } : { ...FACTORY_NETWORK, extra: FACTORY_NETWORK.extra.map((x) => ({ ...x })), dns: [...FACTORY_NETWORK.dns] };
  }
  const next: NetworkSettings = { ...current, mode: 'static', dns: [...current.dns] };
  const [address, prefix] = first.split('/');
  next.address = address!;
  if (prefix !== undefined) {
    const mask = maskOfPrefix(Number(prefix));
    if (!mask) throw new UsageError(`'/${prefix}' is not a prefix length (8 to 30, such as /24).`);
    next.netmask = mask;
  }
  let netmaskGiven = prefix !== undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i]!;
    const value = rest[i + 1];
    if (value === undefined) throw new UsageError(`'${key}' needs a value.`);
    if (key === 'netmask' || key === 'mask') {
      next.netmask = value;
      netmaskGiven = true;
    } else if (key === 'gateway' || key === 'gw') next.gateway = value === 'none' ? '' : value;
    else if (key === 'dns') next.dns = value === 'none' ? [] : value.split(',').filter(Boolean);
    else throw new UsageError(`'${key}' is not a setting of ip set.`);
  }
  if (!netmaskGiven && current.mode === 'dhcp') throw new UsageError('Give the netmask: 192.168.1.20/24, or netmask 255.255.255.0.');
  return next;
}
