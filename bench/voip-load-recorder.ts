/**
 * The recorder side of the VoIP load benchmark, in its own process: the
 * recorder, the media layer and the phone record server on the system clock
 * (no line card), driven over IPC by bench/voip-load.bench.ts. Reports its
 * CPU and RSS over a window, and at the end checks every recording: no
 * packet lost, the duration sent, and the stream's tone in the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { Recorder } from '../firmware/recording/recorder.ts';
import { FileFinisher } from '../firmware/recording/file-finisher.ts';
import { EventBus } from '../firmware/events/event-bus.ts';
import { AudioTap } from '../firmware/events/audio-tap.ts';
import { AlarmList } from '../firmware/alarms/alarm-list.ts';
import { SettingsStore } from '../firmware/settings/settings-store.ts';
import { VoipRecording } from '../firmware/voip/voip-recording.ts';
import { systemClock } from '../firmware/host/linux/clock.ts';
import { decodeWav } from '../firmware/audio/wav.ts';
import { toneShare } from '../test/support/audio-match.ts';

const log = pino({ level: 'warn' });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voip-load-'));
const index = new RecordIndex(path.join(dir, 'index'));
await index.open();
const recorder = new Recorder(dir, index, 'alaw', new FileFinisher(dir, null), log);
const settings = await SettingsStore.open({ dir: path.join(dir, 'config') });
const rtpPortMin = Number(process.env.RTP_PORT_MIN ?? 30000);
await settings.updateVoip({ enabled: true, phoneControlPort: 0, bindAddress: '127.0.0.1', rtpPortMin, rtpPortMax: rtpPortMin + 8000, silenceTimeoutS: 30, jitterMs: 200 });
const voip = new VoipRecording({
  recorder, events: new EventBus(), tap: new AudioTap(), clock: systemClock, log, alarms: new AlarmList(log), settings, capacity: 8192, keepEnded: 100_000,
});
await voip.start();
const flush = setInterval(() => recorder.flushAll(Date.now()), 100);
let cpu0 = process.cpuUsage();
let t0 = process.hrtime.bigint();

process.on('message', async (m: { op: string; expect?: Record<string, { packets: number; freq: number }> }) => {
  if (m.op === 'window-start') {
    cpu0 = process.cpuUsage();
    t0 = process.hrtime.bigint();
    process.send!({ op: 'window-start' });
  } else if (m.op === 'window-end') {
    const cpu = process.cpuUsage(cpu0);
    const ns = Number(process.hrtime.bigint() - t0);
    process.send!({ op: 'window-end', cpuPct: (100 * (cpu.user + cpu.system) * 1000) / ns, rssMiB: process.memoryUsage().rss / 2 ** 20, active: voip.media.active().length });
  } else if (m.op === 'check') {
    for (let i = 0; i < 300 && voip.media.active().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await recorder.drain();
    const all = voip.sessions().ended;
    let ok = 0;
    let lost = 0;
    let late = 0;
    const bad: string[] = [];
    for (const [callId, e] of Object.entries(m.expect!)) {
      const s = all.find((x) => x.callId.endsWith(`/${callId}`));
      if (!s) {
        bad.push(`${callId}: no session`);
        continue;
      }
      const st = s.streams[0]!;
      lost += st.lost;
      late += st.late;
      const entry = s.recordId ? await index.get(s.recordId) : null;
      if (!entry?.file) {
        bad.push(`${callId}: no recording`);
        continue;
      }
      const pcm = decodeWav(fs.readFileSync(path.join(dir, entry.file))).channels[0]!;
      const want = e.packets * 160;
      const mid = pcm.subarray(Math.floor(pcm.length / 2) - 4000, Math.floor(pcm.length / 2) + 4000);
      const fine = st.packets === e.packets && st.lost === 0 && pcm.length >= want && toneShare(mid, e.freq) > 0.9;
      if (fine) ok++;
      else if (bad.length < 5) bad.push(`${callId}: packets ${st.packets}/${e.packets} lost ${st.lost} late ${st.late} dup ${st.duplicates} jumps ${st.jumps} ssrc ${st.ssrcChanges} foreign ${st.foreign} samples ${pcm.length}/${want} tone ${toneShare(mid, e.freq).toFixed(2)}`);
    }
    process.send!({ op: 'check', ok, total: Object.keys(m.expect!).length, lost, late, bad });
  } else if (m.op === 'stop') {
    clearInterval(flush);
    await voip.stop();
    await recorder.drain();
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send!({ op: 'ready', port: voip.phonePort });
