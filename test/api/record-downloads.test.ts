/**
 * Downloads over real HTTP: one recording under its caller-callee-time name
 * (decrypted), three in a zip read back with unzip, the zip of a search, the
 * search as CSV and XLSX read back, the statistics as charts and a table, a
 * client that leaves in the middle of a zip (every file closed again), and
 * bad input answered clearly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { dayLabel, localDay } from '../../firmware/recording/local-day.ts';
import { ENTRY_E1, startMediaBox } from '../support/media-box.ts';
import { T0, type SimBox } from '../support/sim-box.ts';
import { authedFetch, signIn } from '../support/api-client.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { tempDir } from '../support/temp-dir.ts';

let box: SimBox;
let entries: RecordEntry[];
const tmp = tempDir('downloads-');

const url = (p: string) => `http://127.0.0.1:${box.port}/api/v1${p}`;
async function get(p: string, init: RequestInit = {}) {
  const res = await authedFetch(url(p), init);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}
const postJson = (p: string, body: unknown) => get(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test.before(async () => {
  const started = await startMediaBox([
    { agoS: 900, seconds: 2, remoteNumber: '13800138000' },
    { agoS: 800, seconds: 2, remoteNumber: '13800138000' },
    { agoS: 700, seconds: 3, remoteNumber: '=HYPERLINK("x")', ref: analogRef(5), lineNumber: '8005', incoming: true },
    { agoS: 300, seconds: 2, legs: 2, ref: ENTRY_E1, lineNumber: '62001000', incoming: true, remoteNumber: '02188776655' },
    { agoS: 200, seconds: 240, remoteNumber: '95588', ref: analogRef(6), lineNumber: '8006' },
    { agoS: 100, seconds: 240, remoteNumber: '95589', ref: analogRef(6), lineNumber: '8006' },
  ]);
  box = started.box;
  entries = started.entries;
});

test.after(async () => {
  await box.stop();
});

const stamp = (t: number) => {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
};

test('a download is the stored file, decrypted, named caller-callee-time', async () => {
  const [first, , odd, two] = entries as [RecordEntry, RecordEntry, RecordEntry, RecordEntry];
  const res = await get(`/records/${first.id}/download`);
  assert.is(res.status, 200);
  assert.equal(res.body, (await get(`/records/${first.id}/audio`)).body);
  assert.is(res.headers.get('content-disposition'), `attachment; filename="8003-13800138000-${stamp(first.startedAt)}.wav"`);
  // Incoming: the caller is the remote party; anything but letters, digits and -_. is replaced.
  const weird = await get(`/records/${odd.id}/download`);
  assert.is(weird.headers.get('content-disposition'), `attachment; filename="HYPERLINK_x-8005-${stamp(odd.startedAt)}.wav"`);
  assert.match((await get(`/records/${two.id}/download`)).headers.get('content-disposition')!, `02188776655-62001000-${stamp(two.startedAt)}.wav`);
  const part = await get(`/records/${first.id}/download`, { headers: { range: 'bytes=10-19' } });
  assert.is(part.status, 206);
  assert.equal(part.body, res.body.subarray(10, 20));
});

test('three recordings in one zip, stored, with their names and bytes', async () => {
  const picked = [entries[0]!, entries[1]!, entries[3]!];
  const res = await postJson('/records/zip', { ids: picked.map((e) => e.id) });
  assert.is(res.status, 200, res.body.toString());
  assert.is(res.headers.get('content-type'), 'application/zip');
  assert.is(Number(res.headers.get('content-length')), res.body.length, 'the size is known before the zip is written');
  const file = path.join(tmp, 'three.zip');
  fs.writeFileSync(file, res.body);
  const listing = execFileSync('unzip', ['-Z', '-l', file], { encoding: 'utf8' });
  const names = picked.map((e) => `${e.direction === 'incoming' ? e.remoteNumber : e.lineNumber}-${e.direction === 'incoming' ? e.lineNumber : e.remoteNumber}-${stamp(e.startedAt)}.wav`);
  for (const n of names) assert.match(listing, n);
  assert.match(listing, /stor/, 'stored, not deflated');
  assert.not.match(listing, /defN/);
  for (const [i, e] of picked.entries()) {
    const inside = execFileSync('unzip', ['-p', file, names[i]!]);
    assert.equal(inside, (await get(`/records/${e.id}/audio`)).body, names[i]);
  }
  execFileSync('unzip', ['-tq', file]);
});

test('a zip of a search; names that repeat are told apart; bad requests are refused', async () => {
  const res = await get('/records/zip?channel=3&limit=1&page=2');
  assert.is(res.status, 200);
  assert.is(res.headers.get('x-recording-count'), '2');
  const file = path.join(tmp, 'search.zip');
  fs.writeFileSync(file, res.body);
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.equal(names, [entries[0]!, entries[1]!].map((e) => `8003-13800138000-${stamp(e.startedAt)}.wav`).sort());

  const same = await postJson('/records/zip', { ids: [entries[0]!.id, entries[0]!.id] });
  assert.is(same.headers.get('x-recording-count'), '1', 'an id twice is one file');
  assert.is((await postJson('/records/zip', { ids: [] })).status, 400);
  assert.is((await postJson('/records/zip', { ids: Array.from({ length: 1001 }, (_, i) => `x${i}`) })).status, 400);
  assert.is((await postJson('/records/zip', { ids: ['1763706000123-07-1'] })).status, 404);
  assert.is((await postJson('/records/zip', { ids: ['../../etc/passwd'] })).status, 404);
  assert.is((await get('/records/zip?channel=x')).status, 400);
  const none = await get('/records/zip?remoteNumber=999');
  assert.is(none.status, 400);
  assert.match(none.json().error.message, 'none of these recordings');
});

function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

test('a client that leaves in the middle of a zip frees every file', async () => {
  const big = [entries[4]!, entries[5]!];
  const before = openFds();
  const body = JSON.stringify({ ids: big.map((e) => e.id) });
  const { token } = await signIn(`http://127.0.0.1:${box.port}`);
  const received = await new Promise<number>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
    const req = http.request(url('/records/zip'), { method: 'POST', headers }, (res) => {
      let got = 0;
      res.on('data', (c: Buffer) => {
        got += c.length;
        if (got > 64 * 1024) {
          // Stop reading and hang up.
          res.pause();
          req.destroy();
          resolve(got);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => (e.message.includes('socket hang up') || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(body);
  });
  const total = 44 * 2 + 2 * 240 * 8000;
  assert.ok(received < total, 'left before the end');
  assert.ok(await until(() => openFds() <= before), `open files back to ${before} (now ${openFds()})`);
  // The box goes on serving.
  assert.is((await postJson('/records/zip', { ids: [entries[0]!.id] })).status, 200);
});

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

/** The signature the recording's statement carries (128 hex digits). */
async function signatureOf(id: string): Promise<string> {
  const res = await get(`/records/${id}/statement`);
  assert.is(res.status, 200, `recording ${id} is signed`);
  const sig = res.json().signature as string;
  assert.match(sig, /^[0-9a-f]{128}$/);
  return sig;
}

test('the search as CSV: BOM, headers in the language asked, rows of the search, formulas neutralised', async () => {
  const res = await get('/records/export.csv?channel=5&limit=1');
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type')!, 'text/csv');
  assert.match(res.headers.get('content-disposition')!, /attachment; filename="recordings-\d{8}-\d{6}\.csv"/);
  assert.equal([...res.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCsv(res.body.toString('utf8').slice(1));
  assert.equal(rows[0], ['序号', '通道号', '端口类型', '线路号码', '对方号码', '对方名称', '通话类型', '录音起始时间', '录音时长', '起始模式', '停止模式', '级别', '文件名', '录音编号', '签名']);
  assert.is(rows.length, 2);
  const odd = entries[2]!;
  assert.equal(rows[1], [
    '0', 'M [05]', '模拟', '8005', `'=HYPERLINK("x")`, '', '呼入', new Date(odd.startedAt).toLocaleString('sv-SE').slice(0, 19), '00:00:03',
    '压控录音', '挂机停止', '普通', `HYPERLINK_x-8005-${stamp(odd.startedAt)}.wav`, odd.id, await signatureOf(odd.id),
  ]);

  const en = parseCsv((await get('/records/export.csv?lang=en')).body.toString('utf8').slice(1));
  assert.is(en[0]![0], 'No.');
  assert.is(en.length, 1 + entries.length);
  // Newest first, as the search page.
  assert.equal(en.slice(1).map((r) => r[13]), [...entries].sort((a, b) => b.startedAt - a.startedAt).map((e) => e.id));
  // Every recording's signature (签名) is its signed statement's, for checking a downloaded file years later.
  assert.is(en[0]![14], 'Signature');
  for (const r of en.slice(1)) assert.is(r[14], await signatureOf(r[13]!));
  assert.equal(en.find((r) => r[13] === entries[3]!.id)!.slice(1, 7), ['E1-1 [16]', 'E1', '62001000', '02188776655', '', 'Incoming']);
  assert.is((await get('/records/export.csv?lang=fr')).status, 400);
  assert.is((await get('/records/export.csv?colour=red')).status, 400);
});

test('the search as XLSX, read back', async () => {
  const res = await get('/records/export.xlsx?lang=en&portType=analog');
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = book.worksheets[0]!;
  const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
  assert.is(values(1)[0], 'No.');
  assert.is(ws.actualRowCount, 1 + 5);
  const analog = [...entries].filter((e) => e.portType === 'analog').sort((a, b) => b.startedAt - a.startedAt);
  for (let i = 0; i < analog.length; i++) {
    const v = values(i + 2);
    assert.is(v[0], i);
    assert.is(v[13], analog[i]!.id);
    assert.is(v[14], await signatureOf(analog[i]!.id));
    assert.is(v[4], analog[i]!.remoteNumber, 'text stays text');
  }
});

test('statistics per day and month for charts, and the statistics table', async () => {
  const day = localDay(T0);
  const daily = await get(`/stats/daily?from=${dayLabel(day - 2)}&to=${dayLabel(day)}`);
  assert.is(daily.status, 200);
  const incoming = entries.filter((e) => e.callType === 'incoming-answered').length;
  const seconds = Math.round(entries.reduce((s, e) => s + e.durationMs, 0) / 1000);
  assert.equal(daily.json(), [
    { day: dayLabel(day - 2), incoming: 0, outgoing: 0, missed: 0, recordedSeconds: 0 },
    { day: dayLabel(day - 1), incoming: 0, outgoing: 0, missed: 0, recordedSeconds: 0 },
    { day: dayLabel(day), incoming, outgoing: entries.length - incoming, missed: 0, recordedSeconds: seconds },
  ]);
  const e1 = (await get(`/stats/daily?from=${dayLabel(day)}&to=${dayLabel(day)}&portType=e1`)).json();
  assert.equal(e1, [{ day: dayLabel(day), incoming: 1, outgoing: 0, missed: 0, recordedSeconds: 2 }]);
  const month = dayLabel(day).slice(0, 7);
  const monthly = (await get(`/stats/monthly?from=2026-01&to=${month}`)).json();
  assert.is(monthly.length, 11);
  assert.equal(monthly.at(-1), { month, incoming, outgoing: entries.length - incoming, missed: 0, recordedSeconds: seconds });
  assert.equal(monthly[0], { month: '2026-01', incoming: 0, outgoing: 0, missed: 0, recordedSeconds: 0 });
  assert.is((await get('/stats/daily?from=2026-01-01&to=2027-06-01')).status, 400, 'too many days');
  assert.is((await get('/stats/daily?from=2026-02-30&to=2026-03-01')).status, 400);
  assert.is((await get('/stats/monthly?from=2026-13&to=2026-12')).status, 400);
  assert.is((await get(`/stats/daily?from=${dayLabel(day)}&to=${dayLabel(day - 1)}`)).status, 400);

  const table = await get(`/stats/export.csv?from=${dayLabel(day)}&to=${dayLabel(day)}&lang=en`);
  assert.is(table.status, 200);
  const rows = parseCsv(table.body.toString('utf8').slice(1));
  assert.equal(rows[0], ['No.', 'Channel', 'Port type', 'Incoming', 'Outgoing', 'Missed', 'Recordings', 'Total length']);
  assert.equal(rows.map((r) => r[1]), ['Channel', 'M [03]', 'M [05]', 'M [06]', 'E1-1 [16]', 'Total']);
  assert.equal(rows.at(-1)!.slice(3), [String(incoming), String(entries.length - incoming), '0', String(entries.length), `00:08:${String(seconds - 480).padStart(2, '0')}`]);
  assert.is((await get(`/stats/export.xlsx?from=${dayLabel(day)}&to=${dayLabel(day)}`)).status, 200);
  assert.is((await get('/stats/export.csv?from=2026-01-02&to=2026-01-01')).status, 400);
});

test('a recording whose file is gone or damaged is a clear error', async () => {
  const gone = entries[1]!;
  fs.rmSync(path.join(box.dataDir, gone.file!));
  for (const p of ['play', 'peaks', 'download']) {
    const res = await get(`/records/${gone.id}/${p}`);
    assert.is(res.status, 410, p);
    assert.is(res.json().error.code, 'RECORD_FILE_MISSING');
  }
  // In a zip, the others come through with a note of what could not be read.
  const zip = await postJson('/records/zip', { ids: [entries[0]!.id, gone.id] });
  const file = path.join(tmp, 'partial.zip');
  fs.writeFileSync(file, zip.body);
  assert.match(execFileSync('unzip', ['-p', file, 'ERRORS.txt'], { encoding: 'utf8' }), gone.id);
  const damaged = entries[0]!;
  const onDisk = path.join(box.dataDir, damaged.file!);
  const bytes = fs.readFileSync(onDisk);
  bytes[200]! ^= 0xff;
  fs.writeFileSync(onDisk, bytes);
  const res = await get(`/records/${damaged.id}/peaks`);
  assert.is(res.status, 500);
  assert.is(res.json().error.code, 'SEALED_FILE_DAMAGED');
  assert.is((await get('/health')).status, 200);
});

test.run();
