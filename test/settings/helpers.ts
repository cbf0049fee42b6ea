/** A fresh configuration folder per test. */
import fs from 'node:fs/promises';
import * as assert from 'uvu/assert';
import { RecorderError } from '../../firmware/errors.ts';
import { tempDir } from '../support/temp-dir.ts';

export async function configDir(): Promise<string> {
  return tempDir('settings-');
}

export async function readJson(file: string): Promise<any> {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.writeFile(file, JSON.stringify(value, null, 2));
}

/** Awaits a promise that must fail with a RecorderError of `code` whose message matches `text`. */
export async function rejects(p: Promise<unknown>, code: string, text: RegExp): Promise<RecorderError> {
  let error: unknown = null;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  assert.instance(error, RecorderError, 'expected a RecorderError');
  const err = error as RecorderError;
  assert.is(err.code, code, err.message);
  assert.match(err.message, text);
  return err;
}
