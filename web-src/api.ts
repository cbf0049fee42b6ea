/**
 * Calls to the box's API: JSON in and out, the CSRF token on every unsafe
 * request, errors as `ApiError` with the API's code. A 401 returns to the
 * login page, `password_change_required` to the password page.
 */
import { signal } from '@preact/signals';
import { t } from './i18n.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: any,
  ) {
    super(message);
  }
}

/** Where the app must go after an answer (login, password page); watched by the router. */
export const authRedirect = signal<string | null>(null);
/** A message shown at the top of the page (errors, confirmations). */
export const toast = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);

export function notify(kind: 'ok' | 'error', text: string): void {
  toast.value = { kind, text };
}

function cookie(name: string): string {
  const m = document.cookie.split(/;\s*/).find((c) => c.startsWith(`${name}=`));
  return m ? decodeURIComponent(m.slice(name.length + 1)) : '';
}

export function csrfHeaders(): Record<string, string> {
  const token = cookie('rdx_csrf');
  return token ? { 'X-CSRF-Token': token } : {};
}

export interface CallOptions {
  body?: unknown;
  ifMatch?: string | number | null;
  /** Do not redirect on 401 (the login call itself). */
  quiet401?: boolean;
}

export async function raw(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') Object.assign(headers, csrfHeaders());
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined && options.ifMatch !== null) headers['if-match'] = `"${options.ifMatch}"`;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (res.ok) return res;
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const code = String(body?.error?.code ?? res.status);
  const message = String(body?.error?.message ?? res.statusText);
  if (res.status === 401 && !options.quiet401) authRedirect.value = '/login';
  if (res.status === 403 && /password_change_required/i.test(code)) authRedirect.value = '/password';
  throw new ApiError(res.status, code, message, body);
}

export async function api<T = any>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const res = await raw(method, path, options);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);

/** A message for an error in the UI's language: permission, stale edits, or the API's own text. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403 && /forbidden/i.test(e.code)) return t('noPermission');
    if (e.status === 409 && /stale/i.test(e.code)) return t('stale');
    if (e.status === 404 && /^(404|NOT_FOUND)$/i.test(e.code) && /not found/i.test(e.message)) return t('notAvailable');
    return `${t('error')} ${e.status}: ${e.message}`;
  }
  return `${t('error')}: ${String((e as Error)?.message ?? e)}`;
}

export function showError(e: unknown): void {
  notify('error', errorText(e));
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Saves a response body as a file under the name the box gives (Content-Disposition) or `fallback`. */
export async function saveResponse(res: Response, fallback: string): Promise<void> {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]!) : plain ? plain[1]! : fallback;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
