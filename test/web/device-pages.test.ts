/**
 * 设备管理, License升级 and 系统升级 in a real browser against the real
 * daemon: a reboot confirmed by typing 确认, the disk formatted with the
 * account's password and its progress shown, a license file uploaded that
 * activates the box, an upgrade package uploaded with its progress and then
 * activated; screenshots of each page in Chinese and English.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { ADMIN_PASSWORD, buildWebUi, firstSignIn, navigateTo, openBrowser, screenshot, type Browser, dismissToast } from '../support/browser.ts';
import { licenseFor, signedLicense, SIM_SERIAL } from '../license/helpers.ts';
import { testPackage } from '../upgrade/helpers.ts';

const PASSWORD = ADMIN_PASSWORD;

let box: SimBox;
let browser: Browser;
let page: Page;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'system-pages-'));

test.before(async () => {
  buildWebUi();
  box = await startSimBox({ sources: [], web: true });
  browser = await openBrowser();
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
  await box?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) => screenshot(page, name, { fullPage: true });

const nav = (label: string) => navigateTo(page, label);

async function confirmWith(word: string): Promise<void> {
  await page.waitForSelector('.modal input[name=confirm]');
  await page.fill('.modal input[name=confirm]', word);
  await page.click('.modal button[type=submit]');
}

const logIn = () => firstSignIn(page, `http://127.0.0.1:${box.port}`);

test('设备管理: reboot confirmed by typing 确认, the disk formatted with the password and its progress', async () => {
  await logIn();
  await box.run(6000);
  await nav('设备管理');
  await page.waitForSelector('#activation:has-text("试用状态")');
  await page.click('button[name=opReboot]');
  await confirmWith('确认');
  await page.waitForSelector('.toast:has-text("设备正在重启")');
  assert.equal(box.power.requests.map((r) => r.kind), ['reboot']);

  await page.click('button[name=opFormat]');
  await page.fill('input[name=formatPassword]', 'wrong-pass-1');
  await page.click('form.format-confirm button[type=submit]');
  await page.waitForSelector('.toast:has-text("400")');
  await page.fill('input[name=formatPassword]', PASSWORD);
  await page.click('form.format-confirm button[type=submit]');
  await page.waitForSelector('#format-progress .stage:has-text("完成")');
  await shot('device-mgmt-zh');
});

test('License升级: a license file activates the box', async () => {
  const file = path.join(scratch, 'box.lic');
  fs.writeFileSync(file, signedLicense(licenseFor(SIM_SERIAL, { analog: 8, voip: 64 }, { monitoring: true, screenPop: true })));
  await nav('License升级');
  await page.waitForSelector('#license-info');
  await page.setInputFiles('input[name=licenseFile]', file);
  await page.click('form.license-upload button[type=submit]');
  await page.waitForSelector('#license-info td:text-is("已激活")');
  assert.ok(await page.isVisible('#license-info td:text-is("8 路")'));
  assert.is(box.services.license.status().state, 'activated');
  await shot('license-zh');
  await nav('设备信息');
  await page.waitForSelector('.license-state:has-text("已激活")');
  assert.ok(await page.isVisible('#device-license td:text-is("64 路并发")'));
  await shot('device-info-license-zh');
});

test('系统升级: a package uploaded with its progress, then activated', async () => {
  const pkg = await testPackage('9.0.0');
  await nav('系统升级');
  await page.waitForSelector('#running-version');
  await page.setInputFiles('input[name=packageFile]', pkg);
  await page.click('form.upgrade-upload button[type=submit]');
  await page.waitForSelector('#upgrade-progress .stage:has-text("已保存")');
  await page.waitForSelector('#versions tr[data-version="9.0.0"]');
  const bad = path.join(scratch, 'bad.rdxpkg');
  fs.writeFileSync(bad, fs.readFileSync(pkg).subarray(0, 500));
  await page.setInputFiles('input[name=packageFile]', bad);
  await page.click('form.upgrade-upload button[type=submit]');
  await page.waitForSelector('#upgrade-failure:has-text("truncated")');
  await page.click('#versions tr[data-version="9.0.0"] button[name=activate]');
  await confirmWith('确认');
  await page.waitForSelector('#versions tr[data-version="9.0.0"] .status:text-is("待重启生效")');
  assert.equal(box.power.requests.at(-1)?.kind, 'restart-recorder');
  await shot('system-upgrade-zh');
});

test('the three pages in English', async () => {
  await dismissToast(page);
  await page.click('header.top .lang');
  for (const [label, name] of [['Device management', 'device-mgmt'], ['License', 'license'], ['System upgrade', 'system-upgrade']]) {
    await nav(label!);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await shot(`${name}-en`);
  }
  assert.ok(await page.isVisible('#versions tr[data-version="9.0.0"] .status:text-is("Active after restart")'));
  await page.click('header.top .lang');
});

test.run();
