/**
 * The browser UI's files (web-static/, built by scripts/build-web): hashed
 * assets cached for good, index.html never cached and answered for every
 * page route of the single-page app; the `.br` or `.gz` variant built next to
 * a file is sent when the browser accepts it. Nothing outside the root is
 * ever served.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

interface Variant {
  file: string;
  size: number;
}

/** A regular file's size, or null when it is missing or not a file. */
function fileSize(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** The best variant of `file` for the Accept-Encoding header: brotli, gzip, then the plain file. */
function pick(file: string, acceptEncoding: string): (Variant & { encoding: string | null }) | null {
  const accepts = (name: string) => new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`, 'i').test(acceptEncoding);
  for (const [ext, encoding] of [['.br', 'br'], ['.gz', 'gzip']] as const) {
    if (!accepts(encoding)) continue;
    const size = fileSize(file + ext);
    if (size !== null) return { file: file + ext, size, encoding };
  }
  const size = fileSize(file);
  return size === null ? null : { file, size, encoding: null };
}

/** The file under `root` a URL path names, or null when it would leave the root or is malformed. */
export function resolveUnder(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return full === root || full.startsWith(root + path.sep) ? full : null;
}

export interface StaticOptions {
  /** Folder of the built UI. */
  root: string;
  /** URL prefixes that are never the UI (the API). */
  exclude?: string[];
}

export function serveStatic(options: StaticOptions) {
  const root = path.resolve(options.root);
  const exclude = options.exclude ?? ['/api/'];
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    if (exclude.some((p) => ctx.path.startsWith(p))) return;
    const asked = resolveUnder(root, ctx.path);
    if (asked === null) {
      ctx.status = 400;
      ctx.body = { error: { code: 'BAD_PATH', message: 'not a path of the web UI' } };
      return;
    }
    const ext = path.extname(asked);
    let variant = ext && ext !== '.html' ? pick(asked, ctx.get('accept-encoding')) : null;
    let isIndex = false;
    if (!variant) {
      // A file name that does not exist is a 404; any other path is a page of the app.
      if (ext && ext !== '.html') return;
      variant = pick(path.join(root, 'index.html'), ctx.get('accept-encoding'));
      isIndex = true;
      if (!variant) return;
    }
    ctx.status = 200;
    ctx.type = TYPES[isIndex ? '.html' : ext] ?? 'application/octet-stream';
    ctx.set('Vary', 'Accept-Encoding');
    if (variant.encoding) ctx.set('Content-Encoding', variant.encoding);
    ctx.set('Cache-Control', isIndex ? 'no-cache' : ctx.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    if (isIndex) {
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    }
    ctx.length = variant.size;
    ctx.body = ctx.method === 'HEAD' ? null : fs.createReadStream(variant.file);
  };
}
