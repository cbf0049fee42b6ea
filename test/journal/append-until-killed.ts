/**
 * Child process of the kill test: appends operations and alarm changes,
 * printing each id once written, until killed. Does nothing when loaded by
 * the test runner.
 */
import path from 'node:path';
import { AlarmList } from '../../firmware/alarms/alarm-list.ts';
import { openJournal } from '../../firmware/journal/journal.ts';
import { quiet, randomEntries } from './helpers.ts';

async function main(dir: string): Promise<void> {
  const { journal } = await openJournal(dir, quiet);
  const list = new AlarmList(quiet);
  journal.alarms.attach(list, quiet);
  const entries = randomEntries(100_000, 99);
  let i = 0;
  for (;;) {
    const batch = entries.slice(i, i + 8);
    i += 8;
    const ids = await Promise.all(batch.map((e) => journal.operations.append(e)));
    list.raise(`channel-disconnected:${i % 16}`, 'critical', 'channel', 'line disconnected', Date.now());
    if (i % 3 === 0) list.clear(`channel-disconnected:${(i + 8) % 16}`);
    process.stdout.write(ids.map((e) => `${e.id}\n`).join(''));
  }
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) await main(process.argv[2]!);
