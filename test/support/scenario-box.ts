/** A simulated box playing a scenario written on the fly: per line, its audio pieces and its timeline. */
import fs from 'node:fs';
import path from 'node:path';
import { encodePcmWav } from '../../firmware/audio/wav.ts';
import { loadScenario, scenarioSources } from '../../firmware/sim/scenario.ts';
import { startSimBox, type SimBox } from './sim-box.ts';
import { tempDir } from './temp-dir.ts';

const S = 8000;

export interface LineScript {
  channel: number;
  /** [second, samples] placed on the line's audio. */
  audio: Array<[number, Int16Array]>;
  timeline: Array<{ t: number; state: string }>;
}

export async function startScenarioBox(totalS: number, lines: LineScript[], options: { config?: object; dataDir?: string; web?: boolean } = {}): Promise<SimBox> {
  const dir = tempDir('scenario-');
  const scenario = {
    board: 'sim',
    lines: lines.map((l) => {
      const out = new Int16Array(totalS * S);
      for (const [at, sig] of l.audio) out.set(sig.subarray(0, Math.max(0, out.length - Math.round(at * S))), Math.round(at * S));
      fs.writeFileSync(path.join(dir, `line${l.channel}.wav`), encodePcmWav(out));
      return { channel: l.channel, audio: `line${l.channel}.wav`, timeline: l.timeline };
    }),
  };
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
  const loaded = await loadScenario(path.join(dir, 'scenario.json'), 8);
  return startSimBox({ sources: scenarioSources(loaded, 8), ...options });
}
