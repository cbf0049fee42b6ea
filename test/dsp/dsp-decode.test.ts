/**
 * scripts/dsp-decode as a program: every reference recording decoded into
 * JSON lines and scored by the vectors' own scorer against their sidecars,
 * then compared with spandsp's score on the same recordings.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT, VECTOR_DIR, requireVectors } from './vectors.ts';

const DECODE = join(PROJECT_ROOT, 'scripts', 'dsp-decode');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd = tmpdir()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface VectorScore {
  name: string;
  pass: boolean;
  error?: string;
  dtmf: { characterize: number; characterize_detected: number; misses: string[]; false_list: string[] };
  callerid: { characterize: number; characterize_decoded: number; decoded: number; expected_decode: number };
}

const work = mkdtempSync(join(tmpdir(), 'dsp-decode-'));
let decoded: { results: string; scores: VectorScore[] } | null = null;

/** Decodes every vector (the files split over a few dsp-decode processes) and scores the results once. */
async function decodeAll(): Promise<{ results: string; scores: VectorScore[] }> {
  if (decoded) return decoded;
  requireVectors();
  const wavs = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.wav')).sort();
  const results = join(work, 'results');
  const groups = Math.max(1, Math.min(4, availableParallelism()));
  const runs = await Promise.all(
    Array.from({ length: groups }, (_, g) => run(DECODE, ['--out', results, ...wavs.filter((_, i) => i % groups === g).map((w) => join(VECTOR_DIR, w))])),
  );
  for (const r of runs) assert.is(r.code, 0, `dsp-decode failed: ${r.stderr}`);
  const out = join(work, 'score.json');
  const scored = await run(process.execPath, [join(VECTOR_DIR, 'score.mjs'), VECTOR_DIR, results, '--json', out]);
  assert.is(scored.code, 0, `score.mjs failed: ${scored.stderr}`);
  decoded = { results, scores: JSON.parse(readFileSync(out, 'utf8')) as VectorScore[] };
  return decoded;
}

test('every reference vector passes the scorer', async () => {
  const { scores } = await decodeAll();
  const index = JSON.parse(readFileSync(join(VECTOR_DIR, 'index.json'), 'utf8')) as { vectors: Array<{ wav: string }> };
  assert.is(index.vectors.length, 51);
  assert.equal(scores.map((s) => s.name).sort(), index.vectors.map((v) => v.wav.replace(/\.wav$/, '')).sort());
  const failed = scores
    .filter((s) => !s.pass)
    .map((s) => `${s.name}: ${s.error ?? `missed ${s.dtmf.misses.join(' ')}; false ${s.dtmf.false_list.join(' ')}; caller ID ${s.callerid.decoded}/${s.callerid.expected_decode}`}`);
  assert.equal(failed, []);
  assert.is(scores.filter((s) => s.pass).length, 51);
});

test('on every characterize row, at least as many tones and messages as spandsp', async () => {
  const { scores } = await decodeAll();
  const baseline = JSON.parse(readFileSync(join(VECTOR_DIR, 'baseline-spandsp', 'score.json'), 'utf8')) as VectorScore[];
  const ours = new Map(scores.map((s) => [s.name, s]));
  const worse: string[] = [];
  let rows = 0;
  for (const b of baseline) {
    const o = ours.get(b.name);
    assert.ok(o, `no result for ${b.name}`);
    if (b.dtmf.characterize > 0) {
      rows++;
      if (o.dtmf.characterize_detected < b.dtmf.characterize_detected) worse.push(`${b.name} DTMF ${o.dtmf.characterize_detected} < spandsp ${b.dtmf.characterize_detected}`);
    }
    if (b.callerid.characterize > 0) {
      rows++;
      if (o.callerid.characterize_decoded < b.callerid.characterize_decoded) {
        worse.push(`${b.name} caller ID ${o.callerid.characterize_decoded} < spandsp ${b.callerid.characterize_decoded}`);
      }
    }
  }
  assert.ok(rows >= 20, `only ${rows} characterize rows in the baseline`);
  assert.equal(worse, []);
});

test('one file on stdout gives the same lines as --out, and the fields the sidecars name', async () => {
  const { results } = await decodeAll();
  const single = await run(DECODE, [join(VECTOR_DIR, 'cid_etsi_v23_mdmf_withheld.wav')]);
  assert.is(single.code, 0, single.stderr);
  assert.is(single.stdout, readFileSync(join(results, 'cid_etsi_v23_mdmf_withheld.jsonl'), 'utf8'));
  const lines = single.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const message = lines.find((l) => l['type'] === 'callerid');
  assert.equal(message, {
    type: 'callerid',
    detector: 'CLIP',
    t_s: message?.['t_s'],
    raw_hex: '801311010101083032323930303031040150080150',
    fields: { datetime_mmddhhmm: '02290001', number_absence: 'private', number_absence_reason: 'P', name_absence: 'private', name_absence_reason: 'P' },
  });
  assert.is(lines.at(-1)!['type'], 'summary');
  const clip = readFileSync(join(results, 'cid_dtmf_clip_restricted.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(clip.filter((l) => l['type'] === 'dtmf').map((l) => l['digit']).join(''), 'B10C');
  const cid = clip.find((l) => l['type'] === 'callerid')!;
  assert.equal([cid['detector'], cid['dtmf_string'], cid['fields']], ['CLIP-DTMF', 'B10C', { number_absence: 'private', number_absence_reason: '10' }]);
});

test('a missing file, a file that is not a WAV and no file at all are clear errors', async () => {
  const missing = await run(DECODE, [join(work, 'nope.wav')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /dsp-decode: cannot read .*nope\.wav: ENOENT/);
  const text = join(work, 'text.wav');
  writeFileSync(text, 'not audio at all');
  const invalid = await run(DECODE, [text]);
  assert.is(invalid.code, 1);
  assert.match(invalid.stderr, /text\.wav: not a usable WAV recording: not a RIFF\/WAVE file/);
  assert.is(invalid.stdout, '');
  const none = await run(DECODE, []);
  assert.is(none.code, 2);
  assert.match(none.stderr, /usage: dsp-decode/);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
