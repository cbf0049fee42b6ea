import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { boardSchema, type Board } from './board-schema.ts';

/** Directory of the declarative board files (`board/<model>.json`). */
export const BOARD_DIR = path.resolve(import.meta.dirname, '../../board');

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
