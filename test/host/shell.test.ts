import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LinuxShell } from '../../firmware/host/linux/shell.ts';

const shell = new LinuxShell();

test('a non-zero exit is returned as the code, with stdout and stderr, without throwing', async () => {
  const r = await shell.run('sh', ['-c', 'echo hi; echo oops >&2; exit 3']);
  assert.is(r.code, 3);
  assert.is(r.stdout, 'hi\n');
  assert.is(r.stderr, 'oops\n');
});

test('a successful run has code 0', async () => {
  const r = await shell.run('echo', ['a b', '$HOME;']);
  assert.equal(r, { code: 0, stdout: 'a b $HOME;\n', stderr: '' });
});

test('arguments reach the program as they are, never through a shell', async () => {
  const r = await shell.run('printf', ['%s|', '; rm -rf /', '$(id)', '`x`']);
  assert.is(r.stdout, '; rm -rf /|$(id)|`x`|');
});

test('a program that runs past its timeout is killed and reported as code 124', async () => {
  const r = await shell.run('sleep', ['5'], { timeoutMs: 100 });
  assert.is(r.code, 124);
});

test('a program killed by a signal is reported as 128 + the signal number', async () => {
  const r = await shell.run('sh', ['-c', 'kill -TERM $$']);
  assert.is(r.code, 128 + 15);
});

test('a missing program is reported as code 127 with a message', async () => {
  const r = await shell.run('/nonexistent/tool', []);
  assert.is(r.code, 127);
  assert.match(r.stderr, 'ENOENT');
});

test('a streamed run hands out stdout and stderr lines as they come, then the exit code', async () => {
  const run = shell.stream!('sh', ['-c', 'echo one; sleep 0.2; echo two >&2; echo three; exit 4']);
  const seen: string[] = [];
  for await (const line of run.lines) seen.push(line);
  assert.equal(seen, ['one', 'two', 'three']);
  assert.is(await run.done, 4);
});

test('a streamed run past its timeout is killed (124); a missing program is 127', async () => {
  const slow = shell.stream!('sleep', ['5'], { timeoutMs: 100 });
  for await (const _ of slow.lines) void _;
  assert.is(await slow.done, 124);
  const missing = shell.stream!('/nonexistent/tool', []);
  const lines: string[] = [];
  for await (const l of missing.lines) lines.push(l);
  assert.is(await missing.done, 127);
  assert.match(lines.join(' '), 'ENOENT');
});

test.run();
