/**
 * A recording store with its chain of custody, as the daemon wires it: the
 * real recorder, index, store, archiver and record service, the device key
 * in a configuration folder and the chain on the data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { RecordStore } from '../../firmware/recording/record-store.ts';
import { Archiver } from '../../firmware/recording/archiver.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { CustodyBox } from '../../firmware/custody/custody-box.ts';
import { RecordService } from '../../firmware/app/record-service.ts';
import { CustodyService } from '../../firmware/app/custody-service.ts';
import { Auditor } from '../../firmware/app/audit.ts';
import { openJournal } from '../../firmware/journal/journal.ts';
import { speechLike } from '../support/store-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

export const quiet = { info() {}, error() {}, warn() {}, child: () => quiet };
export const tmp = (name: string) => tempDir(`${name}-`);

export interface CustodyFixture {
  dataDir: string;
  configDir: string;
  index: RecordIndex;
  recorder: Recorder;
  store: RecordStore;
  box: CustodyBox;
  records: RecordService;
  custody: CustodyService;
  archiver(format: 'ima-adpcm' | 'ulaw' | 'pcm16'): Archiver;
  alarms: string[];
  record(channel: number, at: number, seconds: number, remoteNumber?: string): Promise<RecordEntry>;
  /** The device's public key as a PEM file. */
  publicKeyFile(): string;
  close(): Promise<void>;
}

export async function custodyFixture(root = tmp('custody')): Promise<CustodyFixture> {
  const dataDir = path.join(root, 'data');
  const configDir = path.join(root, 'config');
  fs.mkdirSync(dataDir, { recursive: true });
  const alarms: string[] = [];
  const box = await CustodyBox.open({
    configDir, dataDir, serial: 'RDS-TEST-0001', now: Date.now, log: quiet,
    health: { failed: (r) => void (r && alarms.push(r)), damaged: (r) => void alarms.push(r) },
  });
  const index = new RecordIndex(path.join(dataDir, 'index'));
  await index.open();
  const finisher = new FileFinisher(dataDir, null);
  const recorder = new Recorder(dataDir, index, 'alaw', finisher, quiet, { custody: box.recording });
  const store = new RecordStore(dataDir, index, box.recording);
  const { journal } = await openJournal(configDir, quiet);
  const auditor = new Auditor(journal.operations, Date.now, quiet);
  const records = new RecordService(dataDir, index, store, () => null, auditor, box);
  const custody = new CustodyService(box, index, auditor);
  return {
    dataDir, configDir, index, recorder, store, box, records, custody, alarms,
    archiver: (format) => new Archiver(dataDir, index, () => null, () => ({ format, mp3Kbps: 16 }), quiet, box.recording),
    async record(channel, at, seconds, remoteNumber = '13800138000') {
      const s = recorder.open(analogRef(channel), {
        callId: `${channel}-${at}`, callType: 'outgoing', part: 1, startMode: 'voltage', at,
        lineNumber: String(8000 + channel), remoteNumber, callerName: '', level: 'normal',
      });
      for (let t = 0; t < seconds * 1000; t += 20) s.write(0, alawEncode(speechLike(160, t * 8)), 'alaw', at + t);
      s.close('hangup', true, at + seconds * 1000);
      await recorder.drain();
      return (await index.get(s.entry.id))!;
    },
    publicKeyFile() {
      const file = path.join(root, 'device-public.pem');
      fs.writeFileSync(file, box.key().publicKeyPem);
      return file;
    },
    async close() {
      await recorder.drain();
      await box.close();
      await index.close();
      await journal.close();
    },
  };
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `--json` output, one object a line. */
  lines: Array<Record<string, any>>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs scripts/verify-recordings as a process. */
export function runVerifier(args: string[]): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'scripts/verify-recordings'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines: Array<Record<string, any>> = [];
      if (args.includes('--json')) for (const l of stdout.split('\n')) if (l.startsWith('{')) lines.push(JSON.parse(l));
      resolve({ code, stdout, stderr, lines });
    });
  });
}
