/**
 * Custody statements kept in the recording folders' sidecars
 * (`records.jsonl` lines `{at, id, custody, offset}`): a second copy of each
 * recording's statement beside its file, so a folder copied alone still
 * carries them and a chain cut short is noticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OPEN_MARKER_DIR, SIDECAR_NAME } from '../recording/recording-paths.ts';
import type { CustodyLine } from '../recording/sidecar.ts';

/** The custody lines of one sidecar, oldest first; other and torn lines are skipped. */
export function readCustodyLines(file: string): CustodyLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: CustodyLine[] = [];
  for (const l of text.split('\n')) {
    if (!l.includes('"custody"')) continue;
    try {
      const v = JSON.parse(l) as CustodyLine;
      if (typeof v.custody === 'string' && typeof v.id === 'string' && Number.isSafeInteger(v.offset)) out.push(v);
    } catch {
      // torn line
    }
  }
  return out;
}

export interface FolderContents {
  /** Sidecars (absolute paths), sorted. */
  sidecars: string[];
  /** Audio files (.wav, .mp3), relative to the folder. */
  audio: string[];
  /** Statements downloaded one by one (`GET /api/v1/records/:id/statement` saved as `*.statement.json`). */
  statements: string[];
}

/** The sidecars and audio files under a folder (a data directory, a NAS copy, an export); recordings still open are left out. */
export async function listDataFolder(root: string): Promise<FolderContents> {
  const out: FolderContents = { sidecars: [], audio: [], statements: [] };
  const walk = async (dir: string) => {
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== OPEN_MARKER_DIR || dir !== root) await walk(p);
      } else if (d.name === SIDECAR_NAME) out.sidecars.push(p);
      else if (/\.(wav|mp3)$/.test(d.name)) out.audio.push(path.relative(root, p));
      else if (d.name.endsWith('.statement.json')) out.statements.push(p);
    }
  };
  await walk(root);
  out.sidecars.sort();
  return out;
}

/** The chain line of a downloaded statement file (its `line`), or null when it is not one. */
export function readStatementFile(file: string): string | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { line?: unknown };
    return typeof v.line === 'string' ? v.line : null;
  } catch {
    return null;
  }
}
