import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KeyDecoder } from '../../firmware/console/key-decoder.ts';
import { HISTORY_SIZE, LineEditor, type EditorAction } from '../../firmware/console/line-editor.ts';
import { TerminalScreen } from '../support/terminal-screen.ts';

const COMMANDS = ['status', 'stats', 'channels', 'ip', 'log'];

/** An editor on a screen: `type` feeds raw terminal bytes and returns the actions. */
function setup(prompt = 'admin> ') {
  const editor = new LineEditor((words, partial) => (words.length === 0 ? COMMANDS.filter((c) => c.startsWith(partial)) : words[0] === 'ip' ? ['show', 'set'] : []));
  const keys = new KeyDecoder();
  const screen = new TerminalScreen();
  screen.write(editor.start(prompt));
  const type = (text: string): EditorAction[] => {
    const actions: EditorAction[] = [];
    for (const k of keys.push(Buffer.from(text))) {
      const r = editor.handle(k);
      screen.write(r.output);
      if (r.action) {
        actions.push(r.action);
        if (r.action.kind !== 'eof') screen.write(editor.start(prompt));
      }
    }
    return actions;
  };
  return { editor, screen, type };
}

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

test('typed text is echoed and Enter submits it', () => {
  const { screen, type } = setup();
  assert.equal(type('status\r'), [{ kind: 'submit', line: 'status' }]);
  assert.equal(screen.lines(), ['admin> status', 'admin>']);
});

test('backspace erases before the cursor, also in the middle of the line', () => {
  const { screen, type, editor } = setup();
  type('stattus');
  type('\x7f\x7f\x7fus');
  assert.is(editor.line, 'status');
  type(`${LEFT}${LEFT}${LEFT}\x7f`);
  assert.is(editor.line, 'sttus');
  assert.is(screen.current(), 'admin> sttus');
  assert.is(screen.cursor, 'admin> st'.length);
});

test('left and right move the cursor; typing inserts at it', () => {
  const { screen, type } = setup();
  type(`chnels${LEFT}${LEFT}${LEFT}${LEFT}an${RIGHT}${RIGHT}${RIGHT}${RIGHT}${RIGHT}`);
  assert.is(screen.current(), 'admin> channels');
  assert.is(screen.cursor, 'admin> channels'.length);
  assert.equal(type('\r'), [{ kind: 'submit', line: 'channels' }]);
});

test('Home, End and Delete', () => {
  const { editor, type } = setup();
  type('xstatus\x1b[H\x1b[3~\x1b[Fz');
  assert.is(editor.line, 'statusz');
});

test('Ctrl-U erases the whole line, Ctrl-C abandons it', () => {
  const { screen, type, editor } = setup();
  type(`reboot now${LEFT}${LEFT}\x15`);
  assert.is(editor.line, '');
  assert.is(screen.current(), 'admin>');
  type('ip set');
  assert.equal(type('\x03'), [{ kind: 'interrupt' }]);
  assert.equal(screen.lines().slice(-2), ['admin> ip set^C', 'admin>']);
});

test('up and down recall earlier lines and come back to the line being typed', () => {
  const { screen, type } = setup();
  type('status\rchannels\rdisk\r');
  type('half');
  type(UP);
  assert.is(screen.current(), 'admin> disk');
  type(UP + UP);
  assert.is(screen.current(), 'admin> status');
  type(UP); // nothing older: stays
  assert.is(screen.current(), 'admin> status');
  type(DOWN);
  assert.is(screen.current(), 'admin> channels');
  type(DOWN + DOWN);
  assert.is(screen.current(), 'admin> half');
  // A recalled line can be edited and submitted.
  type(UP + UP + '\x7f\x7f\x7fls');
  assert.equal(type('\r'), [{ kind: 'submit', line: 'channls' }]);
});

test('history keeps no repeats in a row, no blank lines, and at most HISTORY_SIZE lines', () => {
  const { editor, type } = setup();
  type('status\rstatus\r   \r');
  assert.equal(editor.lines, ['status']);
  for (let i = 0; i < HISTORY_SIZE + 10; i++) type(`c${i}\r`);
  assert.is(editor.lines.length, HISTORY_SIZE);
  assert.is(editor.lines[editor.lines.length - 1], `c${HISTORY_SIZE + 9}`);
});

test('hidden mode (passwords): nothing echoed, no history, no completion', () => {
  const { editor, screen, type } = setup();
  type('status\r');
  screen.write(`\r\n${editor.start('Password: ', 'hidden')}`);
  type(`s3cret\x7fT${UP}\t`);
  assert.is(screen.current(), 'Password:');
  assert.is(editor.line, 's3creT');
  const before = editor.lines.length;
  const actions: EditorAction[] = [];
  for (const k of new KeyDecoder().push(Buffer.from('\r'))) {
    const r = editor.handle(k);
    if (r.action) actions.push(r.action);
  }
  assert.equal(actions, [{ kind: 'submit', line: 's3creT' }]);
  assert.is(editor.lines.length, before);
});

test('Tab completes a unique command name, extends a common prefix, lists the rest', () => {
  const { screen, type, editor } = setup();
  type('ch\t');
  assert.is(editor.line, 'channels ');
  type('\x15sta\t');
  assert.is(editor.line, 'stat');
  type('\t');
  assert.ok(screen.lines().includes('stats  status'), screen.text());
  assert.is(screen.current(), 'admin> stat');
  type('u\t');
  assert.is(editor.line, 'status ');
  type('\x15ip s');
  type('\t');
  assert.ok(screen.lines().includes('set  show'), screen.text());
  type('h\t');
  assert.is(editor.line, 'ip show ');
  type('\x15zz\t');
  assert.ok(screen.bells > 0);
});

test('wide characters move the cursor by two columns', () => {
  const { screen, type } = setup('> ');
  type(`录音x${LEFT}${LEFT}\x7fa`);
  assert.is(screen.current(), '> a音x');
  assert.is(screen.cursor, 2 + 1);
});

test('Ctrl-D on an empty line is end of input; on a non-empty line nothing', () => {
  const { type } = setup();
  assert.equal(type('abc\x04'), []);
  assert.equal(type('\x15\x04'), [{ kind: 'eof' }]);
});

test.run();
