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

test.run();
