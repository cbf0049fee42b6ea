/**
 * The versions kept on the box (最多可缓存 5 个版本): one folder per version
 * under `<root>/opt/recorder/versions/`, with `current` pointing at the one
 * recorder-supervise runs (none: the image's own) and `previous` at the one
 * it ran before, which the supervisor rolls back to after repeated start-up
 * failures. `pending.json` marks an activation not yet confirmed healthy.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../settings/settings-file.ts';
import { compareVersions, type PackageManifest } from './package-format.ts';

export const MAX_VERSIONS = 5;
export const VERSIONS_DIR = 'opt/recorder';
const INSTALLED_FILE = '.installed.json';

export interface StoredVersion {
  version: string;
  dir: string;
  uploadedAt: number;
  packageBytes: number;
  signedBy: string;
  boards: string[];
  minFromVersion: string;
}

export interface PendingActivation {
  version: string;
  /** The version that ran before (null: the image's own). */
  from: string | null;
  activatedAt: number;
}

export class VersionSlots {
  readonly base: string;

  constructor(root: string) {
    this.base = path.join(root, VERSIONS_DIR);
  }

  get versionsDir(): string {
    return path.join(this.base, 'versions');
  }

  get uploadsDir(): string {
    return path.join(this.base, 'uploads');
  }

  dirOf(version: string): string {
    return path.join(this.versionsDir, version);
  }

  /** Creates the folders; `clean` (at start-up) also drops uploads and unpacking cut short by a restart. */
  async prepare(clean = false): Promise<void> {
    if (clean) await fs.rm(this.uploadsDir, { recursive: true, force: true });
    await fs.mkdir(this.versionsDir, { recursive: true });
    await fs.mkdir(this.uploadsDir, { recursive: true });
    if (!clean) return;
    for (const name of await fs.readdir(this.versionsDir)) if (name.startsWith('.')) await fs.rm(path.join(this.versionsDir, name), { recursive: true, force: true });
  }

  async list(): Promise<StoredVersion[]> {
    const out: StoredVersion[] = [];
    for (const name of await fs.readdir(this.versionsDir).catch(() => [] as string[])) {
      if (name.startsWith('.')) continue;
      try {
        const info = JSON.parse(await fs.readFile(path.join(this.versionsDir, name, INSTALLED_FILE), 'utf8')) as Omit<StoredVersion, 'dir'>;
        out.push({ ...info, version: name, dir: this.dirOf(name) });
      } catch {
        // a folder without its record is not a usable version
      }
    }
    return out.sort((a, b) => compareVersions(a.version, b.version));
  }

  /** Moves an unpacked folder into its slot with its record. */
  async store(unpacked: string, manifest: PackageManifest, facts: { uploadedAt: number; packageBytes: number; signedBy: string }): Promise<StoredVersion> {
    const info = { version: manifest.version, uploadedAt: facts.uploadedAt, packageBytes: facts.packageBytes, signedBy: facts.signedBy, boards: manifest.boards, minFromVersion: manifest.minFromVersion };
    await fs.writeFile(path.join(unpacked, INSTALLED_FILE), `${JSON.stringify(info)}\n`);
    await fs.writeFile(path.join(unpacked, '.manifest.json'), `${JSON.stringify(manifest)}\n`);
    await fs.rename(unpacked, this.dirOf(manifest.version));
    return { ...info, dir: this.dirOf(manifest.version) };
  }

  async remove(version: string): Promise<void> {
    await fs.rm(this.dirOf(version), { recursive: true, force: true });
  }

  /** The version a link points at, or null. */
  async link(name: 'current' | 'previous'): Promise<string | null> {
    try {
      return path.basename(await fs.readlink(path.join(this.base, name)));
    } catch {
      return null;
    }
  }

  /** Points a link at a version (null removes it), atomically. */
  async setLink(name: 'current' | 'previous', version: string | null): Promise<void> {
    const link = path.join(this.base, name);
    if (version === null) {
      await fs.rm(link, { force: true });
      return;
    }
    const tmp = `${link}.tmp`;
    await fs.rm(tmp, { force: true });
    await fs.symlink(this.dirOf(version), tmp);
    await fs.rename(tmp, link);
  }

  async pending(): Promise<PendingActivation | null> {
    try {
      return JSON.parse(await fs.readFile(path.join(this.base, 'pending.json'), 'utf8')) as PendingActivation;
    } catch {
      return null;
    }
  }

  async setPending(p: PendingActivation | null): Promise<void> {
    const file = path.join(this.base, 'pending.json');
    if (p === null) await fs.rm(file, { force: true });
    else await writeFileAtomic(file, `${JSON.stringify(p)}\n`);
  }

  async noteFailed(version: string): Promise<void> {
    await fs.appendFile(path.join(this.base, 'failed-versions'), `${this.dirOf(version)}\n`);
  }
}
