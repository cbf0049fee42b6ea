/**
 * The console session as a pure state machine: the login prompt, the
 * password typed without echo, the check of the account, the shell and its
 * commands, and the way back to the login prompt (logout, Ctrl-D, the idle
 * time, or the session ended elsewhere). Events in, the next state and the
 * effects out; the runner (console-session.ts) performs the effects and
 * feeds back their results. No I/O, no time.
 */
import type { EchoMode } from './line-editor.ts';

export type SessionState =
  | { kind: 'username' }
  | { kind: 'password'; username: string }
  | { kind: 'checking'; username: string }
  | { kind: 'shell'; username: string }
  /** A command runs; lines typed meanwhile answer its questions. */
  | { kind: 'busy'; username: string; idleMinutes?: number };

export type SessionEvent =
  | { kind: 'start' }
  | { kind: 'line'; text: string }
  | { kind: 'interrupt' }
  | { kind: 'eof' }
  | { kind: 'signed-in'; username: string; mustChangePassword: boolean }
  | { kind: 'sign-in-refused'; message: string }
  /** The command finished; the session goes on, ends by the command (logout), or has ended elsewhere. */
  | { kind: 'command-done'; then: 'shell' | 'logout' | 'ended' }
  | { kind: 'idle'; minutes: number }
  /** The sign-in ended elsewhere (idle, account disabled or deleted, replaced). */
  | { kind: 'ended' };

export type SessionEffect =
  | { kind: 'write'; text: string }
  /** The banner: what the box is and where it is on the network. */
  | { kind: 'banner' }
  | { kind: 'prompt'; text: string; mode: EchoMode }
  | { kind: 'authenticate'; username: string; password: string }
  | { kind: 'run'; line: string }
  /** A line typed while a command runs: the answer to its question, if it asked one. */
  | { kind: 'answer'; line: string }
  /** Ctrl-C while a command runs. */
  | { kind: 'cancel' }
  | { kind: 'logout'; reason: string };

export interface Transition {
  state: SessionState;
  effects: SessionEffect[];
}

export const LOGIN_PROMPT = 'login: ';
export const PASSWORD_PROMPT = 'Password: ';
export const shellPrompt = (username: string) => `${username}> `;

const toLogin = (effects: SessionEffect[] = []): Transition => ({
  state: { kind: 'username' },
  effects: [...effects, { kind: 'prompt', text: LOGIN_PROMPT, mode: 'visible' }],
});

const toShell = (username: string, effects: SessionEffect[] = []): Transition => ({
  state: { kind: 'shell', username },
  effects: [...effects, { kind: 'prompt', text: shellPrompt(username), mode: 'visible' }],
});

const stay = (state: SessionState): Transition => ({ state, effects: [] });

export function nextSession(state: SessionState, event: SessionEvent): Transition {
  if (event.kind === 'start') return toLogin();
  switch (state.kind) {
    case 'username':
      if (event.kind === 'line') {
        const username = event.text.trim();
        if (!username) return toLogin([{ kind: 'banner' }]);
        return { state: { kind: 'password', username }, effects: [{ kind: 'prompt', text: PASSWORD_PROMPT, mode: 'hidden' }] };
      }
      if (event.kind === 'interrupt' || event.kind === 'eof') return toLogin();
      return stay(state);
    case 'password':
      if (event.kind === 'line') {
        return { state: { kind: 'checking', username: state.username }, effects: [{ kind: 'authenticate', username: state.username, password: event.text }] };
      }
      if (event.kind === 'interrupt' || event.kind === 'eof') return toLogin();
      return stay(state);
    case 'checking':
      if (event.kind === 'signed-in') {
        const welcome: SessionEffect = { kind: 'write', text: `Signed in as ${event.username}. Type 'help' for the commands.\n` };
        if (!event.mustChangePassword) return toShell(event.username, [welcome]);
        return {
          state: { kind: 'busy', username: event.username },
          effects: [welcome, { kind: 'write', text: 'The password must be changed before anything else.\n' }, { kind: 'run', line: 'passwd' }],
        };
      }
      if (event.kind === 'sign-in-refused') return toLogin([{ kind: 'write', text: `${event.message}\n\n` }]);
      return stay(state);
    case 'shell':
      switch (event.kind) {
        case 'line': {
          const line = event.text.trim();
          if (!line) return toShell(state.username);
          return { state: { kind: 'busy', username: state.username }, effects: [{ kind: 'run', line }] };
        }
        case 'interrupt':
          return toShell(state.username);
        case 'eof':
          return signOut('signed out', 'Signed out.');
        case 'idle':
          return signOut('idle', `Signed out after ${minutes(event.minutes)} without input.`);
        case 'ended':
          return signOut('ended', 'The session has ended; sign in again.', false);
        default:
          return stay(state);
      }
    case 'busy':
      switch (event.kind) {
        case 'line':
          return { state, effects: [{ kind: 'answer', line: event.text }] };
        case 'interrupt':
          return { state, effects: [{ kind: 'cancel' }] };
        case 'command-done':
          if (event.then === 'ended') return signOut('ended', 'The session has ended; sign in again.', false);
          if (state.idleMinutes !== undefined) return signOut('idle', `Signed out after ${minutes(state.idleMinutes)} without input.`);
          return event.then === 'logout' ? signOut('signed out', 'Signed out.') : toShell(state.username);
        case 'idle':
          return { state: { ...state, idleMinutes: event.minutes }, effects: [{ kind: 'cancel' }] };
        case 'ended':
          return { state, effects: [{ kind: 'cancel' }] };
        default:
          return stay(state);
      }
  }
}

function signOut(reason: string, message: string, logout = true): Transition {
  const effects: SessionEffect[] = logout ? [{ kind: 'logout', reason }] : [];
  return toLogin([...effects, { kind: 'write', text: `${message}\n\n` }]);
}

const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;
