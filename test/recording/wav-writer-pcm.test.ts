/**
 * A writer given 16-bit samples (`appendPcm`, the VoIP playout's path)
 * writes the same file as one given the bytes already encoded in the file's
 * codec, for every codec, with blocks larger than its buffer too; a session
 * written with `writePcm` matches one written with `write`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WavWriter } from '../../firmware/recording/wav-writer.ts';
import { fromPcm } from '../../firmware/recording/sample-codec.ts';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import type { WavCodec } from '../../firmware/audio/wav.ts';
import type { ChannelRef } from '../../firmware/ports/channel-ref.ts';

const quiet = { info() {}, warn() {}, error() {} };
const AT = Date.parse('2026-11-20T10:00:00+08:00');

function samples(n: number, seed: number): Int16Array {
  let a = seed;
  return Int16Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return (a >> 16) - 32768;
  });
}

for (const codec of ['alaw', 'ulaw', 'pcm16'] as WavCodec[]) {
  test(`appendPcm writes what append of the ${codec} bytes writes`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wav-pcm-'));
    try {
      const a = new WavWriter(path.join(dir, 'a.wav'), codec, 8000, 0);
      const b = new WavWriter(path.join(dir, 'b.wav'), codec, 8000, 0);
      // 20 ms blocks, a block larger than the writer's buffer, then more 20 ms blocks; only part of the scratch array each time.
      const sizes = [160, 160, 80, 40000, 160, 320, 7];
      let t = 0;
      for (const [k, n] of sizes.entries()) {
        const scratch = samples(n + 100, k + 1);
        a.appendPcm(scratch, n, t);
        b.append(fromPcm(scratch.slice(0, n), codec).slice(), t);
        t += 20 + 300 * (k % 2);
      }
      await a.close(t);
      await b.close(t);
      assert.ok(fs.readFileSync(path.join(dir, 'a.wav')).equals(fs.readFileSync(path.join(dir, 'b.wav'))));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const legs of [1, 2] as const) {
  test(`a ${legs}-leg session written with writePcm holds what one written with write holds`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-pcm-'));
    const index = new RecordIndex(path.join(dir, 'index'));
    await index.open();
    try {
      const recorder = new Recorder(dir, index, 'alaw', new FileFinisher(dir, null), quiet);
      const files: Buffer[] = [];
      for (const how of ['write', 'writePcm'] as const) {
        const ref: ChannelRef = { portType: 'voip', port: 1, channel: how === 'write' ? 0 : 1 };
        const s = recorder.open(ref, {
          callId: `c-${how}`, part: 1, callType: 'incoming-answered', direction: 'incoming', startMode: 'signalling',
          lineNumber: '8001', remoteNumber: '13800138000', callerName: '', level: 'normal', at: AT, legs,
        });
        const scratch = new Int16Array(400);
        for (let k = 0; k < 200; k++) {
          const n = k % 7 === 3 ? 320 : 160;
          for (let leg = 0; leg < legs; leg++) {
            scratch.set(samples(n, 10 * k + leg + 1));
            if (how === 'writePcm') s.writePcm(leg as 0 | 1, scratch, n, AT + k * 20);
            else s.write(leg as 0 | 1, new Uint8Array(scratch.slice(0, n).buffer), 'pcm16', AT + k * 20);
          }
        }
        s.close('hangup', true, AT + 4000);
        await recorder.drain();
        files.push(fs.readFileSync(path.join(dir, (await index.get(s.entry.id))!.file!)));
      }
      assert.ok(files[0]!.equals(files[1]!));
    } finally {
      await index.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
