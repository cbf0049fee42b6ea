/**
 * Signed-in HTTP clients for tests. `authedFetch` works like `fetch` on a
 * box's API as its administrator: the first call to an origin signs in
 * (with the default admin/admin, changing the password, on a new box), and a
 * 401 after a restart signs in again. `signIn` gives a client for any account.
 */
export const ADMIN_PASSWORD = 'Admin-test-1';

export interface ApiClient {
  origin: string;
  token: string;
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  /** The status and parsed JSON body (null when there is none). */
  json(pathname: string, init?: Omit<RequestInit, 'body'> & { body?: any }): Promise<{ status: number; body: any; headers: Headers }>;
}

async function login(origin: string, username: string, password: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${origin}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, bearer: true }),
  });
  return { status: res.status, body: await res.json() };
}

const idempotent = (method?: string) => method === undefined || /^(GET|HEAD)$/i.test(method);

function closedUnderneath(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } }).cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

export function bearerClient(origin: string, token: string): ApiClient {
  const client: ApiClient = {
    origin,
    token,
    async fetch(pathname, init = {}) {
      const send = () => fetch(`${origin}${pathname}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
      try {
        return await send();
      } catch (e) {
        // A kept-alive connection the server closed as the request went out (its idle time
        // ran out while the test was busy): a read is sent again, as a browser does.
        if (!idempotent(init.method) || !closedUnderneath(e)) throw e;
        return send();
      }
    },
    async json(pathname, init = {}) {
      const hasBody = init.body !== undefined && typeof init.body !== 'string';
      const res = await client.fetch(pathname, {
        ...init,
        body: hasBody ? JSON.stringify(init.body) : (init.body as string | undefined),
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
  return client;
}

/** Signs in as `username` (as the administrator by default, setting its password on a new box). */
export async function signIn(origin: string, username = 'admin', password = ADMIN_PASSWORD): Promise<ApiClient> {
  let r = await login(origin, username, password);
  if (r.status === 401 && username === 'admin' && password === ADMIN_PASSWORD) {
    r = await login(origin, 'admin', 'admin');
    if (r.status !== 200) throw new Error(`admin sign-in failed: ${JSON.stringify(r.body)}`);
    const client = bearerClient(origin, r.body.token);
    const changed = await client.json('/api/v1/me/password', { method: 'POST', body: { oldPassword: 'admin', newPassword: ADMIN_PASSWORD } });
    if (changed.status !== 204) throw new Error(`password change failed: ${JSON.stringify(changed.body)}`);
    return client;
  }
  if (r.status !== 200) throw new Error(`sign-in of ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return bearerClient(origin, r.body.token);
}

const admins = new Map<string, Promise<ApiClient>>();

/** `fetch` as the box's administrator. */
export async function authedFetch(url: string, init?: RequestInit): Promise<Response> {
  const origin = new URL(url).origin;
  const path = url.slice(origin.length);
  for (let attempt = 0; ; attempt++) {
    let client = admins.get(origin);
    if (!client) admins.set(origin, (client = signIn(origin)));
    const res = await client.catch((e: unknown) => {
      admins.delete(origin);
      throw e;
    }).then((c) => c.fetch(path, init));
    if (res.status !== 401 || attempt > 0) return res;
    admins.delete(origin);
  }
}
