/**
 * Custody on the box: the device key (configuration folder), the chain
 * (data disk) and the recording store's hook, opened at start; key rotation
 * with its hand-over; a recording's statement checked; the whole chain
 * checked against the device key.
 */
import type { RecordEntry } from '../recording/record-entry.ts';
import type { CustodyLedger } from '../recording/custody-hook.ts';
import { ChainLedger, type LedgerHealth, type LedgerLogger } from './chain-ledger.ts';
import { tailEntries } from './chain-tail.ts';
import { verifyChain, type ChainCheck, type ChainReport } from './chain-verify.ts';
import { dropStagedKey, loadOrCreateDeviceKey, promoteStagedKey, readStagedKey, stageNextKey } from './device-key.ts';
import { groupedFingerprint, publicKeyPem, type PublicKeyInfo } from './key-material.ts';
import { chainPosition, findRecordStatement, type ChainPosition, type RecordStatement } from './record-statement.ts';
import { RecordingCustody } from './recording-custody.ts';
import { signatureValid } from './statement.ts';

export interface DeviceKeyInfo {
  fingerprint: string;
  /** The fingerprint in groups of four hex digits. */
  fingerprintGrouped: string;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  publicKeyPem: string;
}

export interface StatementCheck {
  statement: RecordStatement;
  signatureValid: boolean;
  /** Signed by the device key, or by a key the chain hands over to it. */
  keyTrusted: boolean;
  position: ChainPosition;
}

export interface RotationResult {
  previous: string;
  current: string;
  /** Sequence number of the hand-over entry. */
  seq: number;
}

export interface CustodyOptions {
  configDir: string;
  dataDir: string;
  serial: string;
  now: () => number;
  log: LedgerLogger;
  health: LedgerHealth;
}

export class CustodyBox {
  readonly recording: CustodyLedger;
  private trust: Promise<Map<string, PublicKeyInfo>> | null = null;
  private rotating: Promise<RotationResult> | null = null;

  private constructor(
    private readonly opts: CustodyOptions,
    readonly ledger: ChainLedger,
  ) {
    this.recording = new RecordingCustody(ledger, opts.serial);
  }

  static async open(opts: CustodyOptions): Promise<CustodyBox> {
    const { configDir, dataDir, log } = opts;
    const loaded = await loadOrCreateDeviceKey(configDir, log);
    let key = loaded.key;
    // A rotation cut short: finished when the chain already holds its hand-over, dropped otherwise.
    const staged = readStagedKey(configDir);
    const ledger = new ChainLedger(dataDir, key, opts.now, log, opts.health);
    if (staged) {
      const handedOver = tailEntries(ledger.file).some((e) => e.statement.kind === 'key-rotated' && e.statement.newKey === staged.fingerprint && e.key === key.fingerprint);
      if (handedOver) {
        await promoteStagedKey(configDir);
        key = staged;
        ledger.useKey(key);
        log.info({ fingerprint: key.fingerprint }, 'device key rotation finished');
      } else dropStagedKey(configDir);
    }
    const box = new CustodyBox(opts, ledger);
    await ledger.open(opts.serial, loaded.created ? 'first start' : 'no chain on the data disk (a new or erased disk)');
    if (loaded.replacedDamaged) {
      opts.health.damaged(`the device key file was unreadable (kept as ${loaded.replacedDamaged}); a new key signs from now on`);
      await ledger.append({ kind: 'key-replaced', reason: `the key file was unreadable and set aside as ${loaded.replacedDamaged}` });
    }
    return box;
  }

  key(): DeviceKeyInfo {
    const k = this.ledger.key;
    return { fingerprint: k.fingerprint, fingerprintGrouped: groupedFingerprint(k.fingerprint), publicKey: k.raw.toString('base64'), publicKeyPem: publicKeyPem(k) };
  }

  /** Replaces the device key: the hand-over, signed by the old key, names the new one. */
  rotate(by: string): Promise<RotationResult> {
    this.rotating ??= this.doRotate(by).finally(() => {
      this.rotating = null;
    });
    return this.rotating;
  }

  private async doRotate(by: string): Promise<RotationResult> {
    const { configDir } = this.opts;
    const previous = this.ledger.key.fingerprint;
    const next = await stageNextKey(configDir);
    const handOver = this.ledger.append({ kind: 'key-rotated', newKey: next.fingerprint, newPublicKey: next.raw.toString('base64'), by });
    // Entries after the hand-over are signed with the new key; they reach the disk after it. The
    // first says the new key takes over: signed by it, it commits to the chain before it.
    this.ledger.useKey(next);
    const accepted = this.ledger.append({ kind: 'key-accepted', previousKey: previous });
    const receipt = await handOver;
    await accepted;
    if (!receipt) {
      this.ledger.useKey((await loadOrCreateDeviceKey(configDir, this.opts.log)).key);
      dropStagedKey(configDir);
      throw new Error('the hand-over could not be written to the custody chain; the key is unchanged');
    }
    await promoteStagedKey(configDir);
    this.trust = null;
    this.opts.log.info({ previous, current: next.fingerprint, seq: receipt.entry.seq }, 'device key rotated');
    return { previous, current: next.fingerprint, seq: receipt.entry.seq };
  }

  /** Starts a new chain (after the data disk was erased). */
  restart(reason: string): Promise<void> {
    this.trust = null;
    return this.ledger.restart(this.opts.serial, reason);
  }

  statementOf(entry: RecordEntry): RecordStatement | null {
    return findRecordStatement(this.opts.dataDir, entry);
  }

  async checkStatement(entry: RecordEntry): Promise<StatementCheck | null> {
    const statement = this.statementOf(entry);
    if (!statement) return null;
    const keys = await this.trustedKeys(statement.entry.key);
    const key = keys.get(statement.entry.key);
    return {
      statement,
      signatureValid: key ? signatureValid(statement.entry, key) : false,
      keyTrusted: key !== undefined,
      position: chainPosition(this.ledger.file, statement),
    };
  }

  /** The whole chain checked against the device key. */
  async verifyChain(): Promise<ChainReport> {
    const check = await this.checkChain();
    this.trust = Promise.resolve(new Map([...check.knownKeys].filter(([fp]) => check.trustedKeys.has(fp))));
    return check.report;
  }

  /** Keys trusted: the device key, and earlier ones the chain hands over from (read once, again for an unknown key). */
  private async trustedKeys(want: string): Promise<Map<string, PublicKeyInfo>> {
    const current = this.ledger.key;
    if (want === current.fingerprint) return new Map([[current.fingerprint, current]]);
    let keys = await (this.trust ??= this.readTrust());
    if (!keys.has(want)) keys = await (this.trust = this.readTrust());
    return keys;
  }

  private async readTrust(): Promise<Map<string, PublicKeyInfo>> {
    const check = await this.checkChain();
    return new Map([...check.knownKeys].filter(([fp]) => check.trustedKeys.has(fp)));
  }

  /** The chain up to its last whole entry (appends may go on meanwhile). */
  private async checkChain(): Promise<ChainCheck> {
    await this.ledger.idle();
    return verifyChain(this.ledger.file, [this.ledger.key], { bytes: this.ledger.durableBytes });
  }

  async close(): Promise<void> {
    await this.ledger.idle();
    this.ledger.close();
  }
}
