/**
 * Field upgrades (系统升级, manual 3.22): a signed package is uploaded
 * (streamed to disk, size-limited), checked before anything is installed,
 * unpacked into a version slot; a stored version is activated or rolled back
 * to (回退), which restarts the recorder on it; a version that does not come
 * up healthy within the health timeout is rolled back by itself.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { RecorderError } from '../errors.ts';
import type { Clock, Power, TimerHandle } from '../host/host.ts';
import type { TrustedKey } from '../license/signing-keys.ts';
import { compareVersions, type PackageManifest } from '../upgrade/package-format.ts';
import { inspectPackage, unpackPackage } from '../upgrade/package-reader.ts';
import { MAX_VERSIONS, VersionSlots, type PendingActivation, type StoredVersion } from '../upgrade/version-slots.ts';
import type { DeviceProgressEvent } from '../events/box-events.ts';
import type { Auditor } from './audit.ts';
import { SYSTEM, type Principal } from './principal.ts';

export const MAX_PACKAGE_BYTES = 256 * 1024 * 1024;
export const HEALTH_TIMEOUT_MS = 5 * 60_000;
const HEALTH_POLL_MS = 5000;

export interface UpgradeDeps {
  root: string;
  board: string;
  /** The version running now (x.y.z). */
  running: string;
  keys: readonly TrustedKey[];
  power: Power;
  clock: Clock;
  audit: Auditor;
  progress: (e: Omit<DeviceProgressEvent, 'type' | 'at' | 'operation'>) => void;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  maxPackageBytes?: number;
}

export type VersionStatus = 'running' | 'current' | 'previous' | 'stored';

export interface VersionsView {
  running: string;
  board: string;
  current: string | null;
  previous: string | null;
  pending: PendingActivation | null;
  maxVersions: number;
  maxPackageBytes: number;
  versions: Array<Omit<StoredVersion, 'dir'> & { status: VersionStatus }>;
}

export class UpgradeService {
  private readonly slots: VersionSlots;
  private busy = false;
  private healthTimer: TimerHandle | null = null;
  private stopWatch: (() => void) | null = null;

  constructor(private readonly deps: UpgradeDeps) {
    this.slots = new VersionSlots(deps.root);
  }

  get maxPackageBytes(): number {
    return this.deps.maxPackageBytes ?? MAX_PACKAGE_BYTES;
  }

  async list(): Promise<VersionsView> {
    const [versions, current, previous, pending] = await Promise.all([this.slots.list(), this.slots.link('current'), this.slots.link('previous'), this.slots.pending()]);
    const statusOf = (v: string): VersionStatus => (v === this.deps.running ? 'running' : v === current ? 'current' : v === previous ? 'previous' : 'stored');
    return {
      running: this.deps.running, board: this.deps.board, current, previous, pending, maxVersions: MAX_VERSIONS, maxPackageBytes: this.maxPackageBytes,
      versions: versions.map(({ dir: _dir, ...v }) => ({ ...v, status: statusOf(v.version) })),
    };
  }

  /** Receives a package (an upload's body, or a file's stream), checks it and stores it as a version. */
  upload(principal: Principal, body: AsyncIterable<Buffer | Uint8Array>, declaredBytes?: number): Promise<Omit<StoredVersion, 'dir'>> {
    return this.audit(principal, 'upload', undefined, async () => {
      if (declaredBytes !== undefined && declaredBytes > this.maxPackageBytes) throw new RecorderError('PAYLOAD_TOO_LARGE', `a package is at most ${this.maxPackageBytes} bytes`);
      await this.slots.prepare();
      const file = path.join(this.slots.uploadsDir, `${randomBytes(6).toString('hex')}.rdxpkg`);
      try {
        await this.receive(body, file);
        return await this.install(file);
      } finally {
        await fsp.rm(file, { force: true });
      }
    }, (v) => `version ${v.version} stored (${v.packageBytes} bytes, signed with the ${v.signedBy} key)`);
  }

  /** A package file already on the box (a USB stick, the data disk): for the console. */
  uploadFile(principal: Principal, file: string): Promise<Omit<StoredVersion, 'dir'>> {
    return this.audit(principal, 'upload', file, async () => {
      await this.slots.prepare();
      return this.install(file);
    }, (v) => `version ${v.version} stored from ${file}`);
  }

  /** Makes a stored version the one the recorder runs, and restarts it. */
  activate(principal: Principal, version: string, opts: { confirmDowngrade?: boolean } = {}): Promise<{ version: string; restart: 'requested' }> {
    return this.audit(principal, 'upgrade', version, () => this.switchTo(version, opts.confirmDowngrade ?? false, 'activate'), () => `activated ${version}; restarting`);
  }

  /** 回退: back to the version that ran before (the image's own when none). */
  rollback(principal: Principal, opts: { confirmDowngrade?: boolean } = {}): Promise<{ version: string | null; restart: 'requested' }> {
    return this.audit(principal, 'rollback', undefined, async () => {
      const previous = await this.slots.link('previous');
      if (previous) return this.switchTo(previous, opts.confirmDowngrade ?? false, 'rollback');
      if (!(await this.slots.link('current'))) throw new RecorderError('version_not_found', 'there is no earlier version to roll back to');
      if (!opts.confirmDowngrade) throw new RecorderError('downgrade_unconfirmed', 'rolling back to the image\'s own version: confirm the downgrade');
      await this.slots.setLink('current', null);
      await this.slots.setPending(null);
      await this.deps.power.restartRecorder('rolled back to the image\'s own version');
      return { version: null, restart: 'requested' as const };
    }, (r) => `rolled back to ${r.version ?? 'the image\'s own version'}; restarting`);
  }

  remove(principal: Principal, version: string): Promise<void> {
    // In turn with installs and activations, so a version is not removed while it is being stored or linked.
    return this.audit(principal, 'delete', version, () => this.exclusive(async () => {
      const stored = (await this.slots.list()).find((v) => v.version === version);
      if (!stored) throw new RecorderError('version_not_found', `version ${version} is not stored`);
      if (version === this.deps.running || version === (await this.slots.link('current'))) throw new RecorderError('version_in_use', `version ${version} is the one the recorder runs`);
      if (version === (await this.slots.link('previous'))) await this.slots.setLink('previous', null);
      await this.slots.remove(version);
    }));
  }

  /**
   * After a restart on a newly activated version: it must be healthy within
   * `timeoutMs`, or the previous version is put back and the recorder
   * restarted on it. A pending activation of another version means the
   * supervisor already rolled it back.
   */
  async watchHealth(healthy: () => boolean, timeoutMs = HEALTH_TIMEOUT_MS): Promise<void> {
    // Uploads and unpacking cut short by the restart are dropped.
    await this.slots.prepare(true).catch((e: unknown) => this.deps.log.warn({ err: (e as Error).message }, 'version folders not prepared'));
    const pending = await this.slots.pending();
    if (!pending) return;
    const { clock, running } = this.deps;
    if (pending.version !== running) {
      await this.slots.setPending(null);
      this.deps.audit.note(SYSTEM, { item: 'system', operation: 'rollback', detail: `version ${pending.version} did not start; running ${running}` });
      return;
    }
    const deadline = clock.now() + timeoutMs;
    await new Promise<void>((resolve) => {
      this.healthTimer = clock.setInterval(() => {
        if (!this.healthTimer) return;
        if (healthy()) {
          this.stop();
          this.slots.setPending(null).then(() => {
            this.deps.audit.note(SYSTEM, { item: 'system', operation: 'upgrade', detail: `version ${running} is healthy; upgrade confirmed` });
          }).catch((e: unknown) => this.deps.log.error({ err: (e as Error).message }, 'upgrade confirmation not saved')).finally(() => resolve());
        } else if (clock.now() >= deadline) {
          this.stop();
          this.autoRollback(pending, timeoutMs).catch((e: unknown) => this.deps.log.error({ err: (e as Error).message }, 'automatic rollback failed')).finally(() => resolve());
        }
      }, Math.min(HEALTH_POLL_MS, timeoutMs));
      this.stopWatch = () => resolve();
    });
  }

  /** Ends the health watch (the daemon stops). */
  stop(): void {
    this.healthTimer?.cancel();
    this.healthTimer = null;
    this.stopWatch?.();
  }

  private async autoRollback(pending: PendingActivation, timeoutMs: number): Promise<void> {
    const previous = await this.slots.link('previous');
    await this.slots.noteFailed(pending.version);
    await this.slots.setLink('current', previous);
    await this.slots.setLink('previous', null);
    await this.slots.setPending(null);
    const back = previous ?? 'the image\'s own version';
    this.deps.log.warn({ version: pending.version, back }, 'new version not healthy in time; rolled back');
    this.deps.audit.note(SYSTEM, { item: 'system', operation: 'rollback', detail: `version ${pending.version} not healthy within ${Math.round(timeoutMs / 1000)} s; rolled back to ${back}` });
    await this.deps.power.restartRecorder(`version ${pending.version} not healthy; rolled back to ${back}`);
  }

  private async switchTo(version: string, confirmDowngrade: boolean, why: 'activate' | 'rollback'): Promise<{ version: string; restart: 'requested' }> {
    return this.exclusive(async () => {
      const stored = (await this.slots.list()).find((v) => v.version === version);
      if (!stored) throw new RecorderError('version_not_found', `version ${version} is not stored`);
      const { running } = this.deps;
      if (compareVersions(running, stored.minFromVersion) < 0) {
        throw new RecorderError('package_too_old', `version ${version} upgrades from ${stored.minFromVersion} or later; this box runs ${running}`);
      }
      if (compareVersions(version, running) < 0 && !confirmDowngrade) {
        throw new RecorderError('downgrade_unconfirmed', `${version} is older than the running ${running}: confirm the downgrade`);
      }
      const current = await this.slots.link('current');
      await this.slots.setLink('previous', why === 'rollback' ? null : current);
      await this.slots.setLink('current', version);
      await this.slots.setPending({ version, from: current, activatedAt: this.deps.clock.now() });
      this.deps.progress({ stage: 'restarting', percent: 100 });
      await this.deps.power.restartRecorder(`${why} ${version}`);
      return { version, restart: 'requested' as const };
    });
  }

  private async receive(body: AsyncIterable<Buffer | Uint8Array>, file: string): Promise<void> {
    const out = fs.createWriteStream(file, { flags: 'wx' });
    let bytes = 0;
    try {
      for await (const chunk of body) {
        bytes += chunk.length;
        if (bytes > this.maxPackageBytes) throw new RecorderError('PAYLOAD_TOO_LARGE', `a package is at most ${this.maxPackageBytes} bytes`);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
  }

  private install(file: string): Promise<Omit<StoredVersion, 'dir'>> {
    return this.exclusive(async () => {
      this.deps.progress({ stage: 'verifying', percent: 0 });
      try {
        const pkg = await inspectPackage(file, this.deps.keys, this.deps.board, process.arch);
        const m = pkg.manifest;
        if (compareVersions(this.deps.running, m.minFromVersion) < 0) {
          throw new RecorderError('package_too_old', `version ${m.version} upgrades from ${m.minFromVersion} or later; this box runs ${this.deps.running}`);
        }
        if (m.version === this.deps.running || m.version === (await this.slots.link('current'))) {
          throw new RecorderError('version_in_use', `version ${m.version} is the one the recorder runs`);
        }
        const tmp = path.join(this.slots.versionsDir, `.unpack-${randomBytes(4).toString('hex')}`);
        try {
          await unpackPackage(file, pkg, tmp, (done, total) => this.deps.progress({ stage: 'unpacking', percent: total ? Math.floor((done / total) * 100) : 100 }));
        } catch (e) {
          // A package that does not unpack leaves nothing behind, and the versions kept stay.
          await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
          throw e;
        }
        await this.makeRoom(m);
        await this.slots.remove(m.version);
        const stored = await this.slots.store(tmp, m, { uploadedAt: this.deps.clock.now(), packageBytes: pkg.fileBytes, signedBy: pkg.signedBy });
        this.deps.progress({ stage: 'stored', percent: 100 });
        const { dir: _dir, ...view } = stored;
        return view;
      } catch (e) {
        this.deps.progress({ stage: 'failed', percent: null, error: e instanceof RecorderError ? e.code : 'INTERNAL' });
        throw e;
      }
    });
  }

  /** Keeps at most MAX_VERSIONS: the oldest upload that is neither running, current nor previous goes. */
  private async makeRoom(m: PackageManifest): Promise<void> {
    const keep = new Set([this.deps.running, m.version, await this.slots.link('current'), await this.slots.link('previous')]);
    const stored = (await this.slots.list()).filter((v) => v.version !== m.version);
    const removable = stored.filter((v) => !keep.has(v.version)).sort((a, b) => a.uploadedAt - b.uploadedAt);
    while (stored.length >= MAX_VERSIONS && removable.length) {
      const gone = removable.shift()!;
      await this.slots.remove(gone.version);
      stored.splice(stored.indexOf(gone), 1);
      this.deps.log.info({ version: gone.version }, 'oldest stored version removed to keep five');
    }
  }

  private async exclusive<T>(op: () => Promise<T>): Promise<T> {
    if (this.busy) throw new RecorderError('upgrade_busy');
    this.busy = true;
    try {
      return await op();
    } finally {
      this.busy = false;
    }
  }

  private audit<T>(principal: Principal, operation: 'upload' | 'upgrade' | 'rollback' | 'delete', parameter: string | undefined, op: () => Promise<T>, describe?: (r: T) => string): Promise<T> {
    return this.deps.audit.run(principal, { item: 'system', operation, parameter: parameter ?? 'software', requires: 'configure' }, op, describe);
  }
}
