import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KeyDecoder, type Key } from '../../firmware/console/key-decoder.ts';

const kinds = (keys: Key[]) => keys.map((k) => (k.kind === 'char' ? k.text : `<${k.kind}>`)).join('');

function decode(chunks: Array<string | number[]>, dec = new KeyDecoder()): string {
  return chunks.map((c) => kinds(dec.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)))).join('');
}

test('printable text, Enter as CR, LF or CRLF, each once', () => {
  assert.is(decode(['ab\rcd\nef\r\ngh']), 'ab<enter>cd<enter>ef<enter>gh');
  assert.is(decode(['\r\r\n\n']), '<enter><enter><enter>');
});

test('CRLF split between chunks is still one Enter; CR NUL (telnet) too', () => {
  assert.is(decode(['status\r', '\nnext']), 'status<enter>next');
  assert.is(decode(['x\r', [0], 'y']), 'x<enter>y');
});

test('arrows, Home, End and Delete in their CSI, SS3 and tilde forms', () => {
  assert.is(decode(['\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOD\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[3~\x1b[1;5C']), '<up><down><right><left><up><left><home><end><home><end><delete><right>');
});

test('an escape sequence split at every byte position decodes the same', () => {
  const wire = Buffer.from('a\x1b[1;5Db\x1b[3~c\x1bOBd');
  const whole = decode([[...wire]]);
  assert.is(whole, 'a<left>b<delete>c<down>d');
  for (let cut = 1; cut < wire.length; cut++) {
    for (let cut2 = cut + 1; cut2 < wire.length; cut2++) {
      const dec = new KeyDecoder();
      assert.is(decode([[...wire.subarray(0, cut)], [...wire.subarray(cut, cut2)], [...wire.subarray(cut2)]], dec), whole, `cuts ${cut}, ${cut2}`);
    }
  }
  assert.is(decode([...wire].map((b) => [b])), whole, 'one byte per chunk');
});

test('control keys: backspace (DEL and BS), Tab, Ctrl-U, Ctrl-C, Ctrl-D, Ctrl-A/E, Ctrl-L', () => {
  assert.is(decode([[0x7f, 0x08, 0x09, 0x15, 0x03, 0x04, 0x01, 0x05, 0x0c]]), '<backspace><backspace><tab><kill-line><interrupt><eof><home><end><redraw>');
});

test('UTF-8 characters, also split across chunks', () => {
  const bytes = [...Buffer.from('录音')];
  assert.is(decode([bytes.slice(0, 1), bytes.slice(1, 4), bytes.slice(4)]), '录音');
});

test('unknown sequences are dropped whole; typing resumes after them', () => {
  const dec = new KeyDecoder();
  assert.is(decode(['a\x1b[15~b\x1b[?25hc\x1b[200~d'], dec), 'abcd');
  assert.ok(dec.dropped > 0);
});

test('garbage: a broken sequence resynchronises on the byte that broke it', () => {
  // A control byte inside a CSI ends it; the byte itself is read afresh.
  assert.is(decode(['\x1b[12\rls']), '<enter>ls');
  assert.is(decode(['\x1b[\x1b[Ax']), '<up>x');
  // An over-long parameter run is dropped up to its final byte, keeping nothing of it.
  assert.is(decode([`\x1b[${'9'.repeat(40)}`, '~ok']), 'ok');
  assert.is(decode([`\x1b[${'9'.repeat(40)}`, '\rok']), '<enter>ok');
  // ESC before an ordinary key (Alt-key): the key stands.
  assert.is(decode(['\x1bx\x1b\x1b[B']), 'x<down>');
  // Invalid UTF-8 and C1 controls are dropped; stray controls too.
  assert.is(decode([[0xff, 0xfe, 0x61, 0xc2, 0x9b, 0x62, 0x07, 0x63]]), 'abc');
});

test('random byte soup never throws and the decoder recovers for the next clean key', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
  for (let round = 0; round < 200; round++) {
    const dec = new KeyDecoder();
    dec.push(Buffer.from(Array.from({ length: 64 }, rnd)));
    // Whatever state the soup left, a NUL-free CR resets any sequence in progress.
    const keys = dec.push(Buffer.from('\rz'));
    assert.is(kinds(keys).endsWith('z'), true, `round ${round}: ${kinds(keys)}`);
  }
});

test.run();
