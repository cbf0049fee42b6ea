import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { boardSchema, type Board } from './board-schema.ts';

/** Where the board files are installed on the box image. */
export const INSTALLED_BOARD_DIR = '/usr/share/recorder/board';

/**
 * Directory of the declarative board files (`board/<model>.json`), the first of:
 * `$RECORDER_BOARD_DIR`; `board/` next to the program (a production bundle);
 * the source tree's `board/`; the image's `/usr/share/recorder/board`.
 */
export function findBoardDir(
  env: NodeJS.ProcessEnv = process.env,
  programDir: string = path.dirname(fileURLToPath(import.meta.url)),
  exists: (dir: string) => boolean = existsSync,
): string {
  if (env.RECORDER_BOARD_DIR) return path.resolve(env.RECORDER_BOARD_DIR);
  const candidates = [path.join(programDir, 'board'), path.resolve(programDir, '../../board'), INSTALLED_BOARD_DIR];
  return candidates.find((dir) => exists(dir)) ?? INSTALLED_BOARD_DIR;
}

export const BOARD_DIR = findBoardDir();

export function boardFilePath(modelOrPath: string): string {
  return modelOrPath.includes('/') || modelOrPath.endsWith('.json')
    ? path.resolve(modelOrPath)
    : path.join(BOARD_DIR, `${modelOrPath}.json`);
}

/** Reads and validates a board file; errors name the file and the field. */
export async function loadBoard(modelOrPath: string): Promise<Board> {
  const file = boardFilePath(modelOrPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RecorderError('BOARD_FILE_INVALID', `board file ${file}: cannot be read (${(e as Error).message})`);
  }
  return parseBoard(text, file);
}

export function parseBoard(text: string, file: string): Board {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RecorderError('BOARD_FILE_INVALID', `board file ${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = boardSchema.safeParse(json);
  if (!parsed.success) {
    throw new RecorderError('BOARD_FILE_INVALID', `board file ${file}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
