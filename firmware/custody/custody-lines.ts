/**
 * Custody statements kept in the recording folders' sidecars
 * (`records.jsonl` lines `{at, id, custody, offset}`): a second copy of each
 * recording's statement beside its file, so a folder copied alone still
 * carries them and a chain cut short is noticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SIDECAR_NAME } from '../recording/recording-paths.ts';
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

/** Every sidecar under a folder (a data directory, a NAS copy, an export). */
export async function findSidecars(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) await walk(p);
      else if (d.name === SIDECAR_NAME) out.push(p);
    }
  };
  await walk(root);
  return out.sort();
}
