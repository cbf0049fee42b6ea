/**
 * IP settings (IP设置): read, change and confirm. A change is applied at once
 * (the previous files kept in `network-pending.json`) and must be confirmed
 * within the confirmation window, from the new address (with the one-time
 * token the change returned) or with a session; otherwise the previous
 * configuration returns by itself, also after a restart in between. A change
 * whose application fails is undone at once. Confirmed settings are saved.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock, NetworkControl, NetworkFiles, TimerHandle } from '../host/host.ts';
import { RecorderError } from '../errors.ts';
import type { SystemConfigStore } from '../settings/system-config.ts';
import { networkProblems, networkSettingsSchema, renderInterfaces, renderResolv, type NetworkSettings } from '../system/network-settings.ts';
import { describeZodError } from '../schema-error.ts';
import type { Auditor } from './audit.ts';
import { SYSTEM, type Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';

export const CONFIRM_WINDOW_MS = 120_000;

export interface NetworkView {
  /** The settings in force (a change waiting for confirmation included). */
  settings: NetworkSettings;
  revision: string;
  mac: string | null;
  /** A change waiting for confirmation: until when, and what returns without it. */
  pending: { deadline: number; previous: NetworkSettings } | null;
}

export interface NetworkChange {
  view: NetworkView;
  /** Confirms the change from the new address (POST /system/network/confirm), without a session. */
  confirmToken: string;
  confirmWindowMs: number;
}

interface Pending {
  settings: NetworkSettings;
  previousFiles: NetworkFiles;
  principal: Principal;
  token: string;
  deadline: number;
  timer: TimerHandle;
}

export interface AlarmSink {
  raise(id: string, severity: 'critical' | 'major' | 'minor', area: 'device', message: string, at: number): void;
  clear(id: string): void;
}

export class NetworkService {
  private pending: Pending | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      store: SystemConfigStore;
      network: NetworkControl;
      audit: Auditor;
      clock: Clock;
      alarms: AlarmSink;
      confirmWindowMs?: number;
    },
  ) {}

  private get window(): number {
    return this.deps.confirmWindowMs ?? CONFIRM_WINDOW_MS;
  }

  /** At start-up: a change left unconfirmed by a restart returns to the configuration before it. */
  async start(): Promise<void> {
    const previous = await this.deps.store.readPendingNetwork();
    if (!previous) return;
    await this.restore(previous.previousFiles, 'a network change was not confirmed before the restart; the previous configuration is restored');
  }

  async view(): Promise<NetworkView> {
    const settings = this.pending?.settings ?? this.deps.store.config.network;
    return {
      settings,
      revision: revisionOf(settings),
      mac: await this.deps.network.macAddress().catch(() => null),
      pending: this.pending ? { deadline: this.pending.deadline, previous: this.deps.store.config.network } : null,
    };
  }

  /** Checks settings without applying them: every problem, each naming its field. */
  check(input: unknown): NetworkSettings {
    const parsed = networkSettingsSchema.safeParse(input);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', `IP settings: ${describeZodError(parsed.error)}`);
    const problems = networkProblems(parsed.data);
    if (problems.length) throw new RecorderError('BAD_REQUEST', `IP settings: ${problems.join('; ')}`, { problems });
    return parsed.data;
  }

  set(principal: Principal, input: unknown, ifRevision?: string): Promise<NetworkChange> {
    return this.inTurn(() =>
      this.deps.audit.run(
        principal,
        { item: 'system', operation: 'set', parameter: 'network', detail: (JSON.stringify(input) ?? '').slice(0, 900) },
        async () => {
          const next = this.check(input);
          if (this.pending) throw new RecorderError('NETWORK_PENDING');
          if (ifRevision !== undefined && ifRevision !== revisionOf(this.deps.store.config.network)) throw new RecorderError('stale');
          const previousFiles = await this.deps.network.read();
          await this.deps.store.savePendingNetwork({ previousFiles, settings: next });
          try {
            await this.deps.network.apply({ interfaces: renderInterfaces(next), resolv: renderResolv(next) });
          } catch (e) {
            await this.restore(previousFiles, null);
            throw new RecorderError('NETWORK_APPLY_FAILED', `The network settings could not be applied (${(e as Error).message}); the previous configuration is in force`);
          }
          const token = randomBytes(18).toString('base64url');
          const deadline = this.deps.clock.now() + this.window;
          const pending: Pending = { settings: next, previousFiles, principal, token, deadline, timer: { cancel: () => undefined } };
          // The timer, not the wall clock, decides: a clock set by hand meanwhile changes nothing.
          pending.timer = this.deps.clock.setTimeout(() => void this.expire(pending), this.window);
          this.pending = pending;
          return { view: await this.view(), confirmToken: token, confirmWindowMs: this.window };
        },
        (r) => `applied; ${Math.round(r.confirmWindowMs / 1000)} s to confirm from ${r.view.settings.mode === 'dhcp' ? 'the DHCP address' : r.view.settings.address}`,
      ),
    );
  }

  /** Keeps the change waiting for confirmation: by a signed-in principal, or by its token from the new address. */
  confirm(principal: Principal | null, token?: string): Promise<NetworkView> {
    return this.inTurn(async () => {
      const p = this.pending;
      const tokenOk = p !== null && token !== undefined && sameText(token, p.token);
      const who = principal ?? (tokenOk ? p!.principal : SYSTEM);
      return this.deps.audit.run(who, { item: 'system', operation: 'set', parameter: 'network-confirm', detail: principal ? 'confirmed' : 'confirmed from the new address' }, async () => {
        if (!p || (principal === null && !tokenOk)) throw new RecorderError('NETWORK_NOT_PENDING');
        await this.deps.store.update((c) => ({ next: { ...c, network: p.settings }, value: undefined }));
        p.timer.cancel();
        this.pending = null;
        await this.deps.store.clearPendingNetwork();
        return this.view();
      });
    });
  }

  private expire(p: Pending): Promise<void> {
    return this.inTurn(async () => {
      if (this.pending !== p) return;
      this.pending = null;
      await this.restore(p.previousFiles, `not confirmed within ${Math.round(this.window / 1000)} s; the previous configuration is restored`);
    });
  }

  /** Brings the previous files back; a failure there is an alarm (the console can still set the address). */
  private async restore(files: NetworkFiles, note: string | null): Promise<void> {
    try {
      await this.deps.network.apply(files);
      await this.deps.store.clearPendingNetwork();
      this.deps.alarms.clear('network-restore');
      if (note) this.deps.audit.note(SYSTEM, { item: 'system', operation: 'set', parameter: 'network', detail: note });
    } catch (e) {
      this.deps.alarms.raise('network-restore', 'critical', 'device', `previous network configuration not restored: ${(e as Error).message}`, this.deps.clock.now());
    }
  }

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    const run = this.turn.then(op);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Ends the confirmation timer (daemon stop); a waiting change returns at the next start. */
  stop(): void {
    this.pending?.timer.cancel();
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
