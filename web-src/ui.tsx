/** Small shared pieces: paging bar, typed confirmation, form rows, presence warning, permission. */
import { useEffect, useState } from 'preact/hooks';
import { computed, signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { lang, setLang, t } from './i18n.ts';
import { presence, setPresence } from './live.ts';

export interface Account {
  username: string;
  role: 'admin' | 'super' | 'user' | 'temporary';
  mustChangePassword?: boolean;
  expiresAt?: string | null;
}

export const account = signal<Account | null>(null);
/** Whether the box has accounts at all (false until the login API exists: everyone is the local administrator). */
export const authEnabled = signal(true);
export const canEdit = computed(() => account.value !== null && account.value.role !== 'user');
export const isAdmin = computed(() => account.value?.role === 'admin');

export function Pager(props: { page: number; pages: number; total: number; onPage: (p: number) => void }) {
  const { page, pages, total, onPage } = props;
  const [jump, setJump] = useState('');
  const last = Math.max(1, pages);
  const nums: number[] = [];
  for (let i = Math.max(1, page - 3); i <= Math.min(last, page + 3); i++) nums.push(i);
  return (
    <div class="pager">
      <span>{t('totalPages', { n: total, p: last })}</span>
      <button type="button" disabled={page <= 1} onClick={() => onPage(1)}>{t('first')}</button>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>{t('prev')}</button>
      {nums.map((n) => (
        <button type="button" class={n === page ? 'current' : ''} onClick={() => onPage(n)} key={n}>{n}</button>
      ))}
      <button type="button" disabled={page >= last} onClick={() => onPage(page + 1)}>{t('next')}</button>
      <button type="button" disabled={page >= last} onClick={() => onPage(last)}>{t('last')}</button>
      <label>
        {t('goTo')} <input class="jump" value={jump} onInput={(e) => setJump(e.currentTarget.value)} inputMode="numeric" /> {t('pageSuffix')}
      </label>
      <button
        type="button"
        onClick={() => {
          const n = Number(jump);
          if (Number.isInteger(n) && n >= 1) onPage(Math.min(n, last));
        }}
      >
        {t('go')}
      </button>
    </div>
  );
}

/** The manual's typed confirmation: the action runs only after the word 确认 (CONFIRM) is typed. */
export const confirmRequest = signal<{ what: string; run: () => void } | null>(null);

export function askConfirm(what: string, run: () => void): void {
  confirmRequest.value = { what, run };
}

export function ConfirmDialog() {
  const req = confirmRequest.value;
  const [text, setText] = useState('');
  useEffect(() => setText(''), [req]);
  if (!req) return null;
  const word = t('confirmWord');
  return (
    <div class="modal-back">
      <form
        class="modal"
        aria-modal="true"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() !== word) return;
          confirmRequest.value = null;
          req.run();
        }}
      >
        <p>{t('typeConfirm', { w: word, what: req.what })}</p>
        <input name="confirm" value={text} onInput={(e) => setText(e.currentTarget.value)} autoFocus />
        <div class="buttons">
          <button type="submit" disabled={text.trim() !== word}>{t('submit')}</button>
          <button type="button" onClick={() => (confirmRequest.value = null)}>{t('cancel')}</button>
        </div>
      </form>
    </div>
  );
}

/** Reports the open settings page over the live connection and shows who else has it open. */
export function usePresence(page: string): void {
  useEffect(() => {
    setPresence(page);
    return () => setPresence(null);
  }, [page]);
}

export function PresenceWarning() {
  const p = presence.value;
  if (!p || p.others.length === 0) return null;
  const me = account.value?.username;
  const who = p.others.map((o) => (o.account === me ? t('sameAccount') : `${o.account}@${o.ip}`)).join(', ');
  return <div class="warn presence">{t('othersEditing', { who })}</div>;
}

export function ReadOnlyNote() {
  return canEdit.value ? null : <div class="note">{t('readOnly')}</div>;
}

export function Row(props: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <tr>
      <th scope="row">{props.label}:</th>
      <td>{props.children}</td>
      <td class="hint">{props.hint ?? ''}</td>
    </tr>
  );
}

export function Section(props: { title: string; children: ComponentChildren; extra?: ComponentChildren }) {
  return (
    <section class="panel">
      <h2>
        {props.title}
        {props.extra}
      </h2>
      {props.children}
    </section>
  );
}

/** A read-only row of an information table: the label, and the value or `-`. */
export function infoRow(label: string, value: unknown) {
  return (
    <tr>
      <th scope="row">{label}:</th>
      <td>{value === null || value === undefined ? '-' : String(value)}</td>
    </tr>
  );
}

/** A number field's value checked against its range; a message in the UI's language, or null. */
export function checkNumber(label: string, v: string, min: number, max: number, int = true): string | null {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
    return t(int ? 'mustBeInt' : 'mustBeNum', { f: label, min, max });
  }
  return null;
}

export function Errors(props: { list: string[] }) {
  if (!props.list.length) return null;
  return (
    <ul class="errors" role="alert">
      {props.list.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** A table head of one row: the labels of `cols`, and an empty last cell with `blank` (for row buttons). */
export function THead(props: { cols: string[]; blank?: boolean }) {
  return (
    <thead>
      <tr>
        {props.cols.map((c) => (
          <th key={c}>{t(c)}</th>
        ))}
        {props.blank ? <th /> : null}
      </tr>
    </thead>
  );
}

/**
 * The sign-in page (the box's accounts and the cloud seats): a name, a
 * password and the language switch. `signIn` resolves with the messages to
 * show, or null once signed in.
 */
export function SignInForm(props: {
  title: string;
  nameLabel: string;
  /** The name field's `name` (and what tests fill in). */
  nameField: string;
  initialName?: string;
  className?: string;
  signIn: (name: string, password: string) => Promise<string[] | null>;
}) {
  const [name, setName] = useState(props.initialName ?? '');
  const [password, setPassword] = useState('');
  const [err, setErr] = useState<string[]>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setErr((await props.signIn(name, password)) ?? []);
  };
  return (
    <div class="login-page">
      <form class={props.className ? `login ${props.className}` : 'login'} onSubmit={submit}>
        <h1>{props.title}</h1>
        <label>
          {props.nameLabel}
          <input name={props.nameField} autoComplete="username" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <Errors list={err} />
        <button type="submit">{t('login')}</button>
        <button type="button" class="link" onClick={() => setLang(lang.value === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
      </form>
    </div>
  );
}
