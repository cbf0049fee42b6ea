/**
 * The web UI's browser tests' common parts: the UI built once per file,
 * Debian's Chromium through playwright-core in a throw-away profile, and what
 * every page test does with a page (sign in on a new box, pick a page in the
 * navigation, read the API with the page's own session, save a screenshot).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './processes.ts';
import { ADMIN_PASSWORD } from './api-client.ts';

export { ADMIN_PASSWORD };
export const SHOTS = path.join(ROOT, 'test-artifacts/screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Builds `web-static/` from `web-src/` and makes the screenshot folder. */
export function buildWebUi(): void {
  execFileSync(path.join(ROOT, 'scripts/build-web'), { stdio: 'ignore' });
  fs.mkdirSync(SHOTS, { recursive: true });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Chromium at 1366×768 (the manual's smallest screen) with a fresh profile. */
export async function openBrowser(options: { downloadsPath?: string; autoplay?: boolean } = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    downloadsPath: options.downloadsPath,
    viewport: { width: 1366, height: 768 },
    args: options.autoplay ? [...ARGS, '--autoplay-policy=no-user-gesture-required'] : ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Saves `test-artifacts/screenshots/<name>.png`. A whole page is taken with the
 * window grown to the page's height, so the fixed top bar stays on top
 * instead of being drawn where the first screenful ended.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.waitForTimeout(150);
  const file = path.join(SHOTS, `${name}.png`);
  if (!options.fullPage) return void (await page.screenshot({ path: file }));
  const viewport = page.viewportSize() ?? { width: 1366, height: 768 };
  const height = Number(await page.evaluate('Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)'));
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  try {
    await page.waitForTimeout(50);
    await page.screenshot({ path: file });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** Opens a page of the left navigation by its label. */
export const navigateTo = (page: Page, label: string) => page.click(`nav.side a:text-is("${label}")`);

/** The API's answer with the browser's own session. */
export const apiGet = (page: Page, pathname: string): Promise<any> =>
  page.evaluate((p) => fetch(`/api/v1${p}`).then((r) => r.json()), pathname);

/** Clicks away a toast still showing, so the next one waited for is new. */
export async function dismissToast(page: Page): Promise<void> {
  // Clicked in the page, not by a locator: a toast timing out meanwhile leaves nothing to wait for.
  await page.evaluate(() => (globalThis as any).document.querySelector('.toast')?.click());
  await page.waitForSelector('.toast', { state: 'detached' });
}

/** Signs in as admin/admin on a new box and sets ADMIN_PASSWORD, as the first visit requires. */
export async function firstSignIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.waitForSelector('form.login');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'admin');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('input[name=newPassword]');
  await page.fill('input[name=oldPassword]', 'admin');
  await page.fill('input[name=newPassword]', ADMIN_PASSWORD);
  await page.fill('input[name=repeatPassword]', ADMIN_PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('main .crumb');
}
