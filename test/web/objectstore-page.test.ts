/**
 * The object-store page (云管理 >> 对象存储) in a real browser against a real
 * Ceph RADOS Gateway: a wrong bucket refused in the form, the settings saved
 * (the secret never shown back), the connection tested, a recording uploaded
 * and the status updated live; screenshots in Chinese and English.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { ROOT } from '../support/processes.ts';
import { startCephGateway, type CephGateway } from '../support/ceph-rgw.ts';
import { BucketInspector } from '../support/s3-inspect.ts';

const SHOTS = path.join(ROOT, 'test-artifacts/screenshots');
const PASSWORD = 'Rec0rder!Box-2026';
const S = 8000;

let box: SimBox | undefined;
let gw: CephGateway | undefined;
let bucket: BucketInspector | undefined;
let context: BrowserContext | undefined;
let page: Page;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));

test.before(async () => {
  execFileSync(path.join(ROOT, 'scripts/build-web'), { stdio: 'ignore' });
  fs.mkdirSync(SHOTS, { recursive: true });
  gw = await startCephGateway();
  bucket = new BucketInspector(gw, 'box-archive');
  await bucket.create();
  const pcm = new Int16Array(40 * S);
  pcm.set(speechLike(8, 9), 20 * S);
  const line = new TimelineSource([{ tMs: 0, state: 'onhook' }, { tMs: 20_000, state: 'offhook' }, { tMs: 28_000, state: 'onhook' }], pcm);
  box = await startSimBox({ sources: [line], web: true, config: { recording: { minFileS: 1 } } });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? (await context.newPage());
});

test.after(async () => {
  await context?.close().catch(() => undefined);
  await box?.stop();
  bucket?.close();
  await gw?.stop();
  fs.rmSync(profile, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const apiGet = (pathname: string): Promise<any> => page.evaluate((p) => fetch(`/api/v1${p}`).then((r) => r.json()), pathname);

test('对象存储: settings checked and saved, the connection tested, an upload shown live, in both languages', async () => {
  const b = box!;
  await page.goto(`http://127.0.0.1:${b.port}/`);
  await page.waitForSelector('form.login');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'admin');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('input[name=newPassword]');
  await page.fill('input[name=oldPassword]', 'admin');
  await page.fill('input[name=newPassword]', PASSWORD);
  await page.fill('input[name=repeatPassword]', PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('main .crumb');
  await page.click('nav.side a:text-is("对象存储")');
  await page.waitForSelector('#objectstore');
  assert.match(await page.textContent('[data-testid=os-status]') ?? '', '关闭');

  await page.fill('#objectstore input[name=endpoint]', gw!.endpoint);
  await page.fill('#objectstore input[name=region]', gw!.region);
  await page.fill('#objectstore input[name=bucket]', 'Box_Archive');
  await page.fill('#objectstore input[name=accessKeyId]', gw!.accessKey);
  await page.fill('#objectstore input[name=secretAccessKey]', gw!.secretKey);
  await page.check('#objectstore input[name=enabled]');
  await page.click('#objectstore button[type=submit]');
  await page.waitForSelector('.errors li:text("存储桶名称")');
  assert.is((await apiGet('/objectstore/settings')).enabled, false, 'nothing sent');
  await page.fill('#objectstore input[name=bucket]', 'box-archive');
  await page.click('#objectstore button[type=submit]');
  await page.waitForSelector('.toast.ok:text("已保存, 立即生效")');
  const saved = await apiGet('/objectstore/settings');
  assert.is(saved.enabled, true);
  assert.is(saved.secretSet, true);
  assert.not.ok(JSON.stringify(saved).includes(gw!.secretKey));
  assert.is(await page.inputValue('#objectstore input[name=secretAccessKey]'), '', 'the secret is not shown back');
  if (await page.isVisible('.toast')) await page.click('.toast');
  await page.click('#os-check');
  await page.waitForSelector('.toast.ok:text("连接正常")', { timeout: 30_000 });

  // A call is recorded and goes up; the status changes without a reload.
  for (let i = 0; i < 60 && !(await apiGet('/objectstore/status')).uploaded; i++) await b.run(1000);
  await page.waitForSelector('[data-testid=os-status] td:text-is("空闲")');
  await page.waitForFunction(() => /已上传:\s*1/.test((globalThis as any).document.querySelector('[data-testid=os-status]')?.textContent ?? ''));
  assert.is((await bucket!.keys()).filter((k) => k.key.endsWith('.wav')).length, 1);
  await shot('objectstore-zh');

  if (await page.isVisible('.toast')) await page.click('.toast');
  await page.click('header.top .lang');
  await page.waitForSelector('nav.side a:text-is("Object storage")');
  await page.waitForSelector('[data-testid=os-status] th:text("Uploaded")');
  await shot('objectstore-en');
  await page.click('header.top .lang');
});

test.run();
