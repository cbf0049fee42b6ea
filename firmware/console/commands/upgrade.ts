/**
 * `upgrade <file> | list | activate <version> | rollback`: field upgrades
 * (系统升级) through the upgrade service: a signed package file on the data
 * disk or a USB stick is checked and stored (nothing is written when it is
 * unsigned, tampered, truncated or for another board), then activated, which
 * restarts the recorder on it; a downgrade asks to be confirmed.
 */
import { UsageError, type CommandContext, type ConsoleCommand } from '../console-command.ts';
import { isRecorderError } from '../../errors.ts';
import { localTime, table, bytes } from '../format.ts';

export const upgrade: ConsoleCommand = {
  name: 'upgrade',
  summary: 'install a signed upgrade package from a file; list, activate or roll back versions',
  usage: [
    'upgrade <file>                 check and store a package, then activate it, e.g. upgrade /media/usb/rds-1.3.0.rdxpkg',
    'upgrade list                   the stored versions',
    'upgrade activate <version>     run a stored version (restarts the recorder)',
    'upgrade rollback               back to the version that ran before (回退)',
  ],
  subcommands: ['list', 'activate', 'rollback'],
  async run(ctx, args) {
    const [sub, ...rest] = args;
    if (sub === undefined) throw new UsageError();
    if (sub === 'list' && rest.length === 0) return list(ctx);
    if (sub === 'activate' && rest.length === 1) return activate(ctx, rest[0]!);
    if (sub === 'rollback' && rest.length === 0) {
      const r = await withDowngrade(ctx, (confirmDowngrade) => ctx.services.upgrades.rollback(ctx.principal, { confirmDowngrade }));
      if (r) ctx.out.line(`Rolled back to ${r.version ?? "the image's own version"}; the recorder restarts.`);
      return;
    }
    if (rest.length > 0) throw new UsageError();
    ctx.out.line(`Checking ${sub} ...`);
    const stored = await ctx.services.upgrades.uploadFile(ctx.principal, sub);
    ctx.out.line(`Version ${stored.version} is stored (${bytes(stored.packageBytes)}, signed with the ${stored.signedBy} key, for ${stored.boards.join(', ')}).`);
    const answer = await ctx.ask(`Activate ${stored.version} now? The recorder restarts on it. Type 'yes' to activate: `);
    if (answer?.trim() !== 'yes') return ctx.out.line(`Not activated; 'upgrade activate ${stored.version}' runs it later.`);
    await activate(ctx, stored.version);
  },
};

async function activate(ctx: CommandContext, version: string): Promise<void> {
  const r = await withDowngrade(ctx, (confirmDowngrade) => ctx.services.upgrades.activate(ctx.principal, version, { confirmDowngrade }));
  if (r) ctx.out.line(`Version ${r.version} activated; the recorder restarts on it (it returns to the previous version by itself if it is not healthy).`);
}

/** Runs a switch of version; a downgrade is asked for once more. Null when the person declined. */
async function withDowngrade<T>(ctx: CommandContext, op: (confirmDowngrade: boolean) => Promise<T>): Promise<T | null> {
  try {
    return await op(false);
  } catch (e) {
    if (!isRecorderError(e) || e.code !== 'downgrade_unconfirmed') throw e;
    const answer = await ctx.ask(`${e.message}. Type 'downgrade' to go back to the older version: `);
    if (answer?.trim() !== 'downgrade') {
      ctx.out.line('Not done.');
      return null;
    }
    return op(true);
  }
}

async function list(ctx: CommandContext): Promise<void> {
  const v = await ctx.services.upgrades.list();
  ctx.out.line(`Running ${v.running} on ${v.board}; up to ${v.maxVersions} versions are kept.`);
  if (!v.versions.length) return ctx.out.line('No upgrade versions are stored.');
  ctx.out.print(table(['version', 'status', 'stored', 'size', 'signed by'], v.versions.map((s) => [s.version, s.status, localTime(s.uploadedAt), bytes(s.packageBytes), s.signedBy])));
  if (v.pending) ctx.out.line(`Version ${v.pending.version} was activated at ${localTime(v.pending.activatedAt)} and is being checked for health.`);
}
