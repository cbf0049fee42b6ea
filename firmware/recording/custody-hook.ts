/**
 * What the recording store tells the custody chain (firmware/custody/): a
 * file finished or transcoded, a recording deleted, restored, purged or its
 * level changed. The chain signs and keeps a statement of each. It never
 * fails the operation: a statement that cannot be written resolves null
 * (the chain raises its own alarm) and recording goes on.
 */
import type { RecordEntry } from './record-entry.ts';

export type CustodyEvent =
  | { kind: 'recorded'; entry: RecordEntry }
  | { kind: 'transcoded'; entry: RecordEntry; source: RecordEntry }
  | { kind: 'deleted' | 'restored' | 'purged' | 'level'; entry: RecordEntry; by: string };

/** A statement's place in the chain, kept in the recording's sidecar. */
export interface CustodyReceipt {
  /** The signed entry, one canonical JSON line. */
  line: string;
  /** Its byte offset in the chain file. */
  offset: number;
}

export interface CustodyLedger {
  record(event: CustodyEvent): Promise<CustodyReceipt | null>;
}

export const NO_CUSTODY: CustodyLedger = { record: async () => null };

/** Records an event; whatever happens, the caller goes on. */
export function recordCustody(ledger: CustodyLedger, event: CustodyEvent): Promise<CustodyReceipt | null> {
  try {
    return ledger.record(event).catch(() => null);
  } catch {
    return Promise.resolve(null);
  }
}
