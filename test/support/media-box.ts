/**
 * A box whose data disk already holds recordings of every shape the web UI
 * plays: A-law on analog lines (sealed, encryption at rest on) and a two-party
 * E1 call as a stereo file; then the real daemon and HTTP API on top of it.
 */
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { parseKey } from '../../firmware/recording/sealed-file.ts';
import { analogRef, type ChannelRef } from '../../firmware/ports/channel-ref.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { CustodyBox } from '../../firmware/custody/custody-box.ts';
import { speechLike } from './store-fixture.ts';
import { startSimBox, T0, type SimBox } from './sim-box.ts';
import { tempDir } from './temp-dir.ts';

export const MEDIA_KEY = 'c3'.repeat(32);
const quiet = { info() {}, error() {}, warn() {}, child: () => quiet };

export interface RecordingSpec {
  ref?: ChannelRef;
  /** Seconds before the box's start time. */
  agoS: number;
  seconds: number;
  lineNumber?: string;
  remoteNumber?: string;
  incoming?: boolean;
  /** Two parties: a stereo file. */
  legs?: 1 | 2;
}

/** Records the calls into a fresh data folder (finished, sealed, indexed, signed by the box's device key), then starts the box on it. */
export async function startMediaBox(specs: RecordingSpec[]): Promise<{ box: SimBox; entries: RecordEntry[] }> {
  const dataDir = tempDir('media-');
  const index = new RecordIndex(path.join(dataDir, 'index'));
  await index.open();
  // The configuration folder the simulated box will use, so the daemon finds the same device key.
  const configDir = path.join(dataDir, '..', `${path.basename(dataDir)}-config`);
  const custody = await CustodyBox.open({ configDir, dataDir, serial: 'RDS-MEDIA-0001', now: () => T0, log: quiet, health: { failed() {}, damaged() {} } });
  const recorder = new Recorder(dataDir, index, 'alaw', new FileFinisher(dataDir, parseKey(MEDIA_KEY)), quiet, { twoLegLayout: () => 'stereo', custody: custody.recording });
  const ids: string[] = [];
  specs.forEach((s, n) => {
    const at = T0 - s.agoS * 1000;
    const session = recorder.open(s.ref ?? analogRef(3), {
      callId: `call-${n}`, part: 1, callType: s.incoming ? 'incoming-answered' : 'outgoing', direction: s.incoming ? 'incoming' : 'outgoing',
      startMode: s.legs === 2 ? 'signalling' : 'voltage', lineNumber: s.lineNumber ?? '8003', remoteNumber: s.remoteNumber ?? '13800138000',
      callerName: '', level: 'normal', at, legs: s.legs ?? 1,
    });
    for (let t = 0; t < s.seconds * 1000; t += 20) {
      session.write(0, alawEncode(speechLike(160, t * 8 + n * 1000)), 'alaw', at + t);
      if (s.legs === 2) session.write(1, alawEncode(speechLike(160, t * 8 + 77_777).map((v) => v >> 1)), 'alaw', at + t);
    }
    session.close('hangup', true, at + s.seconds * 1000);
    ids.push(session.entry.id);
  });
  await recorder.drain();
  const entries = await Promise.all(ids.map(async (id) => (await index.get(id))!));
  await index.close();
  await custody.close();
  const box = await startSimBox({ sources: [], dataDir, config: { encryption: { enabled: true, key: MEDIA_KEY }, recording: { minFileS: 1 } } });
  return { box, entries };
}

/** E1 trunk 1, timeslot 16. */
export const ENTRY_E1: ChannelRef = { portType: 'e1', port: 1, channel: 16 };
