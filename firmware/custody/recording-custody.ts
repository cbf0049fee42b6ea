/** The recording store's custody hook on the box's chain: each event becomes a signed statement. */
import type { CustodyEvent, CustodyLedger, CustodyReceipt } from '../recording/custody-hook.ts';
import type { ChainLedger } from './chain-ledger.ts';
import { factsOf, type Statement } from './statement.ts';

export function statementOfEvent(ev: CustodyEvent, serial: string): Statement | null {
  const e = ev.entry;
  switch (ev.kind) {
    case 'recorded':
      return e.file && e.sha256 ? { kind: 'recorded', ...factsOf(e, serial) } : null;
    case 'transcoded': {
      const s = ev.source;
      if (!e.file || !e.sha256) return null;
      return { kind: 'transcoded', ...factsOf(e, serial), source: { file: s.file ?? '', sha256: s.sha256 ?? '', sizeBytes: s.sizeBytes, codec: s.codec ?? '' } };
    }
    case 'deleted':
    case 'restored':
    case 'purged':
      return { kind: ev.kind, id: e.id, by: ev.by, file: e.file, sha256: e.sha256 };
    case 'level':
      return { kind: 'level', id: e.id, level: e.level, by: ev.by };
  }
}

export class RecordingCustody implements CustodyLedger {
  constructor(
    private readonly ledger: ChainLedger,
    private readonly serial: string,
  ) {}

  async record(ev: CustodyEvent): Promise<CustodyReceipt | null> {
    const statement = statementOfEvent(ev, this.serial);
    if (!statement) return null;
    const r = await this.ledger.append(statement);
    return r ? { line: r.line, offset: r.offset } : null;
  }
}
