/**
 * The object-store page (云管理 >> 对象存储) in a real browser against a real
 * Ceph RADOS Gateway: a wrong bucket refused in the form, the settings saved
 * (the secret never shown back), the connection tested, a recording uploaded
 * and the status updated live; screenshots in Chinese and English.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { apiGet, buildWebUi, firstSignIn, navigateTo, openBrowser, screenshot, type Browser, dismissToast } from '../support/browser.ts';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { startCephGateway, type CephGateway } from '../support/ceph-rgw.ts';
import { BucketInspector } from '../support/s3-inspect.ts';

const S = 8000;

let box: SimBox | undefined;
let gw: CephGateway | undefined;
let bucket: BucketInspector | undefined;
let browser: Browser | undefined;
let page: Page;

test.before(async () => {
  buildWebUi();
  gw = await startCephGateway();
  bucket = new BucketInspector(gw, 'box-archive');
  await bucket.create();
  const pcm = new Int16Array(40 * S);
  pcm.set(speechLike(8, 9), 20 * S);
  const line = new TimelineSource([{ tMs: 0, state: 'onhook' }, { tMs: 20_000, state: 'offhook' }, { tMs: 28_000, state: 'onhook' }], pcm);
  box = await startSimBox({ sources: [line], web: true, config: { recording: { minFileS: 1 } } });
  browser = await openBrowser();
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
  await box?.stop();
  bucket?.close();
  await gw?.stop();
});

const shot = (name: string) => screenshot(page, name, { fullPage: true });

test('对象存储: settings checked and saved, the connection tested, an upload shown live, in both languages', async () => {
  const b = box!;
  await firstSignIn(page, `http://127.0.0.1:${b.port}`);
  await navigateTo(page, '对象存储');
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
  assert.is((await apiGet(page, '/objectstore/settings')).enabled, false, 'nothing sent');
  await page.fill('#objectstore input[name=bucket]', 'box-archive');
  await page.click('#objectstore button[type=submit]');
  await page.waitForSelector('.toast.ok:text("已保存, 立即生效")');
  const saved = await apiGet(page, '/objectstore/settings');
  assert.is(saved.enabled, true);
  assert.is(saved.secretSet, true);
  assert.not.ok(JSON.stringify(saved).includes(gw!.secretKey));
  assert.is(await page.inputValue('#objectstore input[name=secretAccessKey]'), '', 'the secret is not shown back');
  await dismissToast(page);
  await page.click('#os-check');
  await page.waitForSelector('.toast.ok:text("连接正常")', { timeout: 30_000 });

  // A call is recorded and goes up; the status changes without a reload.
  for (let i = 0; i < 60 && !(await apiGet(page, '/objectstore/status')).uploaded; i++) await b.run(1000);
  await page.waitForSelector('[data-testid=os-status] td:text-is("空闲")');
  await page.waitForFunction(() => /已上传:\s*1/.test((globalThis as any).document.querySelector('[data-testid=os-status]')?.textContent ?? ''));
  assert.is((await bucket!.keys()).filter((k) => k.key.endsWith('.wav')).length, 1);
  await shot('objectstore-zh');

  await dismissToast(page);
  await page.click('header.top .lang');
  await page.waitForSelector('nav.side a:text-is("Object storage")');
  await page.waitForSelector('[data-testid=os-status] th:text("Uploaded")');
  await shot('objectstore-en');
  await page.click('header.top .lang');
});

test.run();
