/**
 * Start-up of the journal: a damaged database (or a folder that holds
 * something else) is moved aside and a new journal created, and the caller
 * is told; a process killed while writing leaves every written entry, and
 * counters that agree with the entries.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { openJournal } from '../../firmware/journal/journal.ts';
import { ROOT, TSX_LOADER, waitFor } from '../support/processes.ts';
import { T0, randomEntries, tmpDir } from './helpers.ts';

function recordingLog() {
  const errors: string[] = [];
  return { errors, log: { info() {}, warn() {}, error: (_: object, msg: string) => void errors.push(msg) } };
}

test('a new journal is created in the folder; reopened, it keeps its entries', async () => {
  const dir = path.join(tmpDir(), 'config');
  const { log, errors } = recordingLog();
  let { journal, movedAside } = await openJournal(dir, log);
  assert.is(movedAside, null);
  for (const e of randomEntries(20, 1)) await journal.operations.append(e);
  await journal.close();
  ({ journal, movedAside } = await openJournal(dir, log));
  assert.is(movedAside, null);
  assert.is((await journal.operations.query()).total, 20);
  assert.equal(errors, []);
  await journal.close();
});

test('a damaged journal is moved aside and a new, empty one opened, and that is reported', async () => {
  const dir = tmpDir();
  const { log, errors } = recordingLog();
  let { journal } = await openJournal(dir, log, { now: () => T0 });
  for (const e of randomEntries(20, 1)) await journal.operations.append(e);
  await journal.close();
  fs.writeFileSync(path.join(dir, 'journal', 'CURRENT'), 'MANIFEST-999999\n');

  const opened = await openJournal(dir, log, { now: () => T0 });
  journal = opened.journal;
  assert.is(opened.movedAside, path.join(dir, `journal.damaged-${T0}`));
  assert.ok(fs.existsSync(path.join(opened.movedAside!, 'CURRENT')), 'the damaged files are kept');
  assert.is(errors.length, 1);
  assert.is((await journal.operations.query()).total, 0);
  await journal.operations.append(randomEntries(1, 2)[0]!);
  assert.is((await journal.operations.query()).total, 1);
  await journal.close();
});

test('a folder holding a database that is not a journal is moved aside too', async () => {
  const dir = tmpDir();
  const other = new ClassicLevel(path.join(dir, 'journal'));
  await other.put('r!x', 'something else');
  await other.close();
  const { log } = recordingLog();
  const { journal, movedAside } = await openJournal(dir, log);
  assert.ok(movedAside);
  assert.is((await journal.operations.query()).total, 0);
  await journal.close();
});

test('killed while writing, the journal keeps every entry it confirmed, and its counts agree with its keys', async () => {
  const dir = tmpDir();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'test/journal/append-until-killed.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor('a few hundred entries', () => out.split('\n').length > 400, 30_000, 20);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const confirmed = out.split('\n').slice(0, -1);

  const { log, errors } = recordingLog();
  const { journal, movedAside } = await openJournal(dir, log);
  assert.is(movedAside, null);
  assert.equal(errors, []);
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await journal.operations.query({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const i of page.items) ids.add(i.id);
    cursor = page.next ?? undefined;
  } while (cursor);
  for (const id of confirmed) assert.ok(ids.has(id), `entry ${id} confirmed before the kill is kept`);
  assert.is((await journal.operations.query()).total, ids.size, 'the counters agree with the entries');
  for (const result of ['ok', 'failed'] as const) {
    const page = await journal.operations.query({ result, limit: 500 });
    let n = page.items.length;
    for (let next = page.next; next; ) {
      const p = await journal.operations.query({ result, limit: 500, cursor: next });
      n += p.items.length;
      next = p.next;
    }
    assert.is(page.total, n, `the ${result} counters agree with their keys`);
  }
  const alarms = await journal.alarms.query({ limit: 500 });
  assert.ok(alarms.total > 0);
  assert.is((await journal.alarms.query({ active: true })).total, 0, 'alarms open at the kill were closed at this start-up');
  assert.ok(journal.closedAtStart > 0);
  await journal.close();
});

test.run();
