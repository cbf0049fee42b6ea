/**
 * Child process of the kill test: appends statements to a chain in batches,
 * printing each sequence number once durable, until killed. Does nothing
 * when loaded by the test runner.
 */
import path from 'node:path';
import { ChainLedger } from '../../firmware/custody/chain-ledger.ts';
import { loadOrCreateDeviceKey } from '../../firmware/custody/device-key.ts';

const quiet = { info() {}, warn() {}, error() {} };

async function main(dataDir: string, configDir: string): Promise<void> {
  const { key } = await loadOrCreateDeviceKey(configDir, quiet);
  const ledger = new ChainLedger(dataDir, key, Date.now, quiet);
  await ledger.open('RDS-KILL', 'first start');
  for (let i = 0; ; i++) {
    const batch = Array.from({ length: 16 }, (_, j) =>
      ledger.append({ kind: 'level', id: `1763706000${String(i * 16 + j).padStart(3, '0')}-07-1`, level: j % 2 ? 'important' : 'normal', by: 'x'.repeat(200) }),
    );
    const done = await Promise.all(batch);
    process.stdout.write(done.map((r) => `${r?.entry.seq ?? 'failed'}\n`).join(''));
  }
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) await main(process.argv[2]!, process.argv[3]!);
