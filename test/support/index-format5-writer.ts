/**
 * Format 5 of the recording index from one of this firmware (format 6): the
 * same keys without the numbers' months (`N`). And a check of those months
 * against the number keys they count.
 */
import { ClassicLevel } from 'classic-level';
import { decodeNumberMonths } from '../../firmware/recording/number-months.ts';
import { NUMBER, NUMBER_MONTHS, TAIL, VERSION_KEY, monthOfNumberKey, prefixRange } from '../../firmware/recording/record-keys.ts';

/** Removes the numbers' months and sets format 5. The index must be closed. */
export async function downgradeToFormat5(location: string): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  let batch = db.batch();
  for await (const k of db.keys(prefixRange(NUMBER_MONTHS))) {
    batch.del(k);
    if (batch.length >= 1000) {
      await batch.write();
      batch = db.batch();
    }
  }
  batch.put(VERSION_KEY, Buffer.from('5'));
  await batch.write();
  await db.close();
}

/**
 * Where the numbers' months disagree with the number keys (`n <month>
 * <number> 00 <tail>`), and how many numbers they hold. The index must be closed.
 */
export async function numberMonthsCheck(location: string): Promise<{ numbers: number; wrong: string[] }> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  try {
    const counted = new Map<string, Map<number, number>>();
    for await (const k of db.keys(prefixRange(NUMBER))) {
      const number = k.subarray(3, k.length - TAIL - 1).toString('latin1');
      const months = counted.get(number) ?? new Map<number, number>();
      counted.set(number, months);
      const m = monthOfNumberKey(k);
      months.set(m, (months.get(m) ?? 0) + 1);
    }
    const wrong: string[] = [];
    let numbers = 0;
    for await (const [k, v] of db.iterator(prefixRange(NUMBER_MONTHS))) {
      numbers++;
      const number = k.subarray(1).toString('latin1');
      const stored = JSON.stringify([...decodeNumberMonths(v)].sort((a, b) => a[0] - b[0]));
      const expected = JSON.stringify([...(counted.get(number) ?? [])].sort((a, b) => a[0] - b[0]));
      if (stored !== expected) wrong.push(`${number}: stored ${stored}, keys ${expected}`);
      counted.delete(number);
    }
    for (const number of counted.keys()) wrong.push(`${number}: keys without months`);
    return { numbers, wrong };
  } finally {
    await db.close();
  }
}
