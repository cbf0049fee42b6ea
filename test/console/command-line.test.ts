import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCommandLine, quoteWord } from '../../firmware/console/command-line.ts';
import { CommandRegistry } from '../../firmware/console/command-registry.ts';
import type { ConsoleCommand } from '../../firmware/console/console-command.ts';

const words = (line: string) => {
  const r = parseCommandLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.words;
};

test('words are split on spaces and tabs, runs of them count once', () => {
  assert.equal(words('  ip   set\t192.168.1.20/24  '), ['ip', 'set', '192.168.1.20/24']);
  assert.equal(words(''), []);
});

test('double quotes keep spaces and take \\" and \\\\ escapes', () => {
  assert.equal(words('passwd "a b" "say \\"hi\\"" "back\\\\slash" "a\\b"'), ['passwd', 'a b', 'say "hi"', 'back\\slash', 'a\\b']);
});

test("single quotes keep everything as typed; quotes join with adjacent text; '' and \"\" are empty words", () => {
  assert.equal(words(`x 'a "b" \\c' pre"fix"post '' ""`), ['x', 'a "b" \\c', 'prefixpost', '', '']);
});

test('a backslash outside quotes escapes the next character', () => {
  assert.equal(words('upgrade /mnt/usb/my\\ file.pkg'), ['upgrade', '/mnt/usb/my file.pkg']);
});

test('an unclosed quote or a trailing backslash is an error, not a guess', () => {
  assert.equal(parseCommandLine('ip set "192.168'), { ok: false, error: 'a double quote is not closed' });
  assert.equal(parseCommandLine("x 'y"), { ok: false, error: 'a single quote is not closed' });
  assert.equal(parseCommandLine('x \\'), { ok: false, error: 'the line ends with a backslash' });
});

test('quoteWord gives back a word that parses to itself', () => {
  for (const w of ['plain', 'two words', 'q"uote', "it's", 'back\\', '']) assert.equal(words(`x ${quoteWord(w)}`), ['x', w]);
});

const cmd = (name: string, subcommands?: string[]): ConsoleCommand => ({ name, summary: name, usage: [name], subcommands, run: async () => undefined });

test('the registry finds a command (any case) with its arguments, and suggests near names for a typo', () => {
  const r = new CommandRegistry([cmd('status'), cmd('channels'), cmd('ip', ['show', 'set']), cmd('reboot')]);
  const found = r.lookup(['IP', 'show']);
  assert.is(found.kind, 'found');
  assert.equal(found.kind === 'found' && found.args, ['show']);
  assert.equal(r.lookup(['stauts']), { kind: 'unknown', name: 'stauts', suggestions: ['status'] });
  assert.equal(r.lookup(['frobnicate']), { kind: 'unknown', name: 'frobnicate', suggestions: [] });
  assert.equal(r.complete([], 's'), ['status']);
  assert.equal(r.complete(['ip'], 's'), ['show', 'set']);
  assert.equal(r.complete(['status'], ''), []);
  assert.throws(() => new CommandRegistry([cmd('a'), cmd('a')]));
});

test.run();
