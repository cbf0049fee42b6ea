/** What a client sees of a signed statement and of a chain check. */
import type { ChainReport, RecordStatement } from '../../app/custody-service.ts';

export function presentStatement(s: RecordStatement, deviceKey: string) {
  return {
    id: s.id,
    seq: s.entry.seq,
    kind: s.entry.statement.kind,
    /** The chain entry exactly as signed and stored: verify it with the device's public key (docs/custody.md). */
    line: s.line,
    entry: s.entry,
    signature: s.entry.sig,
    key: s.entry.key,
    signedByDeviceKey: s.entry.key === deviceKey,
    chainOffset: s.offset,
  };
}

export function presentChainReport(r: ChainReport) {
  return {
    ok: r.ok,
    present: r.present,
    entries: r.entries,
    firstSeq: r.firstSeq,
    lastSeq: r.lastSeq,
    lastHash: r.lastHash,
    keys: r.keys.map((k) => ({ ...k })),
    problems: r.problems.map((p) => ({ ...p })),
  };
}
