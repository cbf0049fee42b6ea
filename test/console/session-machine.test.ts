import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOGIN_PROMPT, PASSWORD_PROMPT, nextSession, type SessionEffect, type SessionEvent, type SessionState } from '../../firmware/console/session-machine.ts';

function play(events: SessionEvent[], from: SessionState = { kind: 'username' }): { state: SessionState; effects: SessionEffect[] } {
  let state = from;
  const effects: SessionEffect[] = [];
  for (const e of events) {
    const t = nextSession(state, e);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

const prompts = (effects: SessionEffect[]) => effects.filter((e) => e.kind === 'prompt').map((e) => (e.kind === 'prompt' ? `${e.text}|${e.mode}` : ''));

test('login prompt, then the password without echo, then the check', () => {
  const r = play([{ kind: 'start' }, { kind: 'line', text: ' admin ' }, { kind: 'line', text: 'pw' }]);
  assert.equal(r.state, { kind: 'checking', username: 'admin' });
  assert.equal(prompts(r.effects), [`${LOGIN_PROMPT}|visible`, `${PASSWORD_PROMPT}|hidden`]);
  assert.equal(r.effects[r.effects.length - 1], { kind: 'authenticate', username: 'admin', password: 'pw' });
});

test('an empty login line shows the banner again; Ctrl-C at the password returns to the login prompt', () => {
  assert.equal(play([{ kind: 'line', text: '' }]).effects.map((e) => e.kind), ['banner', 'prompt']);
  assert.equal(play([{ kind: 'line', text: 'admin' }, { kind: 'interrupt' }]).state, { kind: 'username' });
});

test('a refused sign-in shows why and asks again; an accepted one opens the shell', () => {
  const refused = play([{ kind: 'sign-in-refused', message: 'Login incorrect.' }], { kind: 'checking', username: 'x' });
  assert.equal(refused.state, { kind: 'username' });
  assert.equal(refused.effects[0], { kind: 'write', text: 'Login incorrect.\n\n' });
  const ok = play([{ kind: 'signed-in', username: 'admin', mustChangePassword: false }], { kind: 'checking', username: 'admin' });
  assert.equal(ok.state, { kind: 'shell', username: 'admin' });
  assert.equal(prompts(ok.effects), ['admin> |visible']);
});

test('keys typed while the password is checked change nothing', () => {
  const s: SessionState = { kind: 'checking', username: 'a' };
  assert.equal(play([{ kind: 'line', text: 'status' }, { kind: 'interrupt' }], s), { state: s, effects: [] });
});

test('an account that must change its password goes straight into passwd', () => {
  const r = play([{ kind: 'signed-in', username: 'admin', mustChangePassword: true }], { kind: 'checking', username: 'admin' });
  assert.equal(r.state, { kind: 'busy', username: 'admin' });
  assert.equal(r.effects[r.effects.length - 1], { kind: 'run', line: 'passwd' });
});

test('a command runs; lines meanwhile answer it, Ctrl-C cancels it; then the prompt returns', () => {
  const shell: SessionState = { kind: 'shell', username: 'admin' };
  const r = play([{ kind: 'line', text: ' reboot ' }, { kind: 'line', text: 'yes' }, { kind: 'interrupt' }, { kind: 'command-done', then: 'shell' }], shell);
  assert.equal(r.effects.map((e) => e.kind), ['run', 'answer', 'cancel', 'prompt']);
  assert.equal(r.effects[0], { kind: 'run', line: 'reboot' });
  assert.equal(r.state, shell);
});

test('logout, Ctrl-D, idle time and a session ended elsewhere all return to the login prompt', () => {
  const shell: SessionState = { kind: 'shell', username: 'admin' };
  const busy: SessionState = { kind: 'busy', username: 'admin' };
  const byLogout = play([{ kind: 'command-done', then: 'logout' }], busy);
  assert.equal(byLogout.state, { kind: 'username' });
  assert.equal(byLogout.effects[0], { kind: 'logout', reason: 'signed out' });
  assert.equal(play([{ kind: 'eof' }], shell).effects[0], { kind: 'logout', reason: 'signed out' });
  const idle = play([{ kind: 'idle', minutes: 30 }], shell);
  assert.equal(idle.effects.slice(0, 2), [{ kind: 'logout', reason: 'idle' }, { kind: 'write', text: 'Signed out after 30 minutes without input.\n\n' }]);
  const ended = play([{ kind: 'command-done', then: 'ended' }], busy);
  assert.equal(ended.state, { kind: 'username' });
  assert.not.ok(ended.effects.some((e) => e.kind === 'logout'), 'the session is already over');
});

test('idle while a command waits for an answer: the question is cancelled and the session signed out when it ends', () => {
  const r = play([{ kind: 'idle', minutes: 5 }, { kind: 'command-done', then: 'shell' }], { kind: 'busy', username: 'admin' });
  assert.equal(r.effects.map((e) => e.kind), ['cancel', 'logout', 'write', 'prompt']);
  assert.equal(r.state, { kind: 'username' });
});

test.run();
