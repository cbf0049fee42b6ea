/**
 * Nas私人网盘 and 工作模式 in a real browser against the real daemon: an FTP
 * target (vsftpd on 127.0.0.1) set up in the page, a manual backup of a
 * time range started from it and followed live to its end, the copies on
 * the server; the work mode page; screenshots in both languages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildWebUi, firstSignIn, navigateTo, openBrowser, screenshot, type Browser, dismissToast } from '../support/browser.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { waitFor } from '../support/processes.ts';
import { filesUnder, startVsftpd, type NasServer } from '../support/nas-servers.ts';
import { scenarioSources, loadScenario } from '../../firmware/sim/scenario.ts';
import { tempDir } from '../support/temp-dir.ts';

let box: SimBox;
let ftp: NasServer;
let browser: Browser | undefined;
let page: Page;

test.before(async () => {
  buildWebUi();
  ftp = await startVsftpd(false);
  const dir = tempDir('nas-web-');
  const scenario = { board: 'sim', lines: [0, 1].map((channel) => ({ channel, timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 5, state: 'onhook' }] })) };
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
  box = await startSimBox({ sources: scenarioSources(await loadScenario(path.join(dir, 'scenario.json'), 8), 8), web: true });
  await box.run(7000);
  browser = await openBrowser();
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
  await box?.stop();
  await ftp?.dispose();
});

const shot = (name: string) => screenshot(page, name, { fullPage: true });

const nav = (label: string) => navigateTo(page, label);

test('a target set up on Nas私人网盘 receives a manual backup followed live in the page', async () => {
  await firstSignIn(page, `http://127.0.0.1:${box.port}`);

  await nav('Nas私人网盘');
  await page.waitForSelector('table.nas-targets');
  await shot('nas-empty-zh');
  await page.click('button[name=edit-0]');
  await page.selectOption('form.nas-target select[name=enabled]', 'on');
  await page.selectOption('form.nas-target select[name=protocol]', 'ftp');
  await page.fill('form.nas-target input[name=host]', '127.0.0.1');
  await page.fill('form.nas-target input[name=port]', String(ftp.port));
  await page.fill('form.nas-target input[name=account]', ftp.account);
  await page.fill('form.nas-target input[name=password]', ftp.password);
  await page.fill('form.nas-target input[name=directory]', 'web/backup');
  await page.click('form.nas-target button[type=submit]');
  await page.waitForSelector('tr[data-slot="0"] td:text-is("FTP")');
  assert.not.ok((await page.content()).includes(ftp.password), 'the password is not in the page');

  await page.click('button[name=manual-0]');
  await page.fill('form.nas-manual input[name=from]', '2026-11-19T00:00');
  await page.fill('form.nas-manual input[name=to]', '2026-11-21T00:00');
  await page.click('form.nas-manual button[type=submit]');
  for (let i = 0; i < 600; i++) {
    await box.run(100);
    const files = [...filesUnder(path.join(ftp.root, 'web/backup')).keys()];
    if (files.filter((f) => f.endsWith('.json')).length === 2 && !files.some((f) => f.endsWith('.part'))) break;
  }
  // The page follows the run live to its end: a sync time, and no longer backing up.
  await waitFor('the page to show the backup done', async () => {
    // The box's clock moves on while the page is watched: the run's end and the page's refresh are on it.
    await box.run(100);
    const progress = (await page.textContent('tr[data-slot="0"] .nas-progress')) ?? '';
    const state = (await page.textContent('tr[data-slot="0"] .nas-state')) ?? '';
    return /\d{2}:\d{2}/.test(progress) && !/备份中/.test(state) ? true : null;
  }, 60_000);
  const files = [...filesUnder(path.join(ftp.root, 'web/backup')).keys()];
  assert.is(files.filter((f) => f.endsWith('.wav')).length, 2, files.join(' '));
  assert.is(files.filter((f) => f.endsWith('.json')).length, 2);
  assert.match(await page.textContent('tr[data-slot="0"] .nas-link') ?? '', '已断开');
  await shot('nas-zh');
});

test('工作模式 and the NAS page in English', async () => {
  await nav('工作模式');
  await page.waitForSelector('select[name=mode]');
  await page.selectOption('select[name=mode]', 'master');
  await page.fill('input[name=secret]', 'a-cascade-secret-of-the-site');
  await page.click('main form button[type=submit]');
  await page.waitForSelector('table.cascade-slaves');
  await shot('work-mode-zh');
  await dismissToast(page);
  await page.click('header.top .lang');
  await nav('NAS backup');
  await page.waitForSelector('table.nas-targets');
  await shot('nas-en');
  await nav('Work mode');
  await page.waitForSelector('select[name=mode]');
  await shot('work-mode-en');
  await page.click('header.top .lang');
});

test.run();
