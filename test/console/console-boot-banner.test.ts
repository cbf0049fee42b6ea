/**
 * The daemon as it starts on the simulated board (its entry point, a real
 * process) prints the banner with its addresses on the console line at
 * boot, before anyone types, and answers at the login prompt.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killTree, startDaemonProcess, type DaemonProcess } from '../support/processes.ts';
import { KEY, openTerminal, ptyPair } from '../support/console-pty.ts';

test('at boot the console shows the box, its IP and factory addresses and the login prompt', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-boot-'));
  fs.mkdirSync(path.join(dir, 'var'));
  // The board file's console is var/console-box.pty, relative to the daemon's working directory.
  const pty = await ptyPair(path.join(dir, 'var'));
  const term = await openTerminal(pty.terminalEnd);
  let daemon: DaemonProcess | undefined;
  try {
    daemon = await startDaemonProcess(dir);
    const banner = await term.waitFor(/login: $/, 0, 30_000);
    assert.match(banner, /Simulated RDS .*\(sim\), version \S+/);
    assert.match(banner, /Factory IP address: 192\.168\.123\.100\/24\r\n/);
    // A machine without a network interface shows none ('-').
    assert.match(banner, new RegExp(`Web interface: (http://\\S+:${daemon.port}/|-)\r\n`));
    const from = term.received().length;
    await term.type(`admin${KEY.enter}`);
    await term.waitFor('Password: ', from);
  } finally {
    killTree(daemon?.child);
    await term.close();
    pty.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
