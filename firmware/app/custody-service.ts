/**
 * Chain of custody (录音验证 with signatures): the device's public key and
 * its rotation, each recording's signed statement (for the customer to keep,
 * for the CDR export), checks of a recording against its statement and of
 * the whole chain. See docs/custody.md.
 */
import { RecorderError } from '../errors.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { RecordIndex } from '../recording/record-index.ts';
import type { CustodyBox, DeviceKeyInfo, RotationResult, StatementCheck } from '../custody/custody-box.ts';
import type { ChainReport } from '../custody/chain-verify.ts';
import type { RecordStatement } from '../custody/record-statement.ts';
import type { Auditor } from './audit.ts';
import { principalText, type Principal } from './principal.ts';

export type { ChainReport, DeviceKeyInfo, RecordStatement, RotationResult, StatementCheck };

export class CustodyService {
  constructor(
    private readonly box: CustodyBox,
    private readonly index: RecordIndex,
    private readonly audit: Auditor,
  ) {}

  deviceKey(): DeviceKeyInfo {
    return this.box.key();
  }

  /** Replaces the device key (admin); the chain's hand-over entry is signed by the old key. */
  rotateKey(principal: Principal): Promise<RotationResult> {
    return this.audit.run(
      principal, { item: 'system', operation: 'set', parameter: 'device-key', requires: 'accounts' },
      () => this.box.rotate(principalText(principal)),
      (r) => `device key ${r.previous.slice(0, 16)}… → ${r.current.slice(0, 16)}… (chain entry ${r.seq})`,
    );
  }

  /** A recording's signed statement; null when none was signed (recorded before custody, or the chain failed then). */
  async statementOf(recordId: string): Promise<RecordStatement | null> {
    const e = await this.index.get(recordId);
    if (!e) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${recordId}`);
    return this.box.statementOf(e);
  }

  /** The statement's Ed25519 signature (128 hex digits), e.g. for a CDR column; null when unsigned. */
  async signatureOf(recordId: string): Promise<string | null> {
    return (await this.statementOf(recordId))?.entry.sig ?? null;
  }

  /** The same, for a recording already read from the index (a page of an export). */
  signatureOfEntry(e: RecordEntry): string | null {
    return this.box.statementOf(e)?.entry.sig ?? null;
  }

  async checkRecord(recordId: string): Promise<StatementCheck | null> {
    const e = await this.index.get(recordId);
    if (!e) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${recordId}`);
    return this.box.checkStatement(e);
  }

  verifyChain(): Promise<ChainReport> {
    return this.box.verifyChain();
  }
}
