/**
 * A whole recorder in one process for fast tests: the real daemon with a
 * virtual clock, simulated GPIO and the simulated line card on an in-memory
 * link. `run(ms)` advances time in 10 ms steps, letting I/O settle between.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startDaemon, type Daemon } from '../../firmware/daemon.ts';
import type { Services } from '../../firmware/app/services.ts';
import { createApp } from '../../firmware/api/app.ts';
import { listenMovable } from '../../firmware/api/http-server.ts';
import { attachLiveSockets } from '../../firmware/api/ws/live-socket.ts';
import { WEB_ROOT } from '../../firmware/api/static/web-root.ts';
import { loadBoard } from '../../firmware/board/load-board.ts';
import type { Host } from '../../firmware/host/host.ts';
import { LinuxDisk } from '../../firmware/host/linux/disk.ts';
import { LinuxShell } from '../../firmware/host/linux/shell.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { memoryTransport } from '../../firmware/sim/memory-link.ts';
import { SimulatedLineCard, type CardFaults } from '../../firmware/sim/linecard-card.ts';
import { SimGpio } from '../../firmware/sim/sim-gpio.ts';
import { simSensors } from '../../firmware/sim/sim-sensors.ts';
import { simSystem, type SimSystem } from '../../firmware/sim/sim-system.ts';
import { SimPower } from '../../firmware/sim/sim-power.ts';
import type { LineSource } from '../../firmware/sim/line-model.ts';
import { authedFetch } from './api-client.ts';
import { removeAtExit, tempDir } from './temp-dir.ts';
import type { E1PortModel } from '../../firmware/sim/e1/e1-port-model.ts';
import { createConsoleLine } from '../../firmware/host/linux/console-line.ts';
import { openConsole } from '../../firmware/run-daemon.ts';
import type { MaintenanceOptions } from '../../firmware/maintenance.ts';

export const T0 = Date.parse('2026-11-20T09:00:00+08:00');

export interface SimBox {
  daemon: Daemon;
  services: Services;
  /** Port of the box's HTTP API on 127.0.0.1. */
  port: number;
  clock: VirtualClock;
  card: SimulatedLineCard;
  /** Reboot and restart requests the box made. */
  power: SimPower;
  gpio: SimGpio;
  dataDir: string;
  /** Network, time, watchdog, SSH/FTP and CPU of the simulated box (files under `root`). */
  system: SimSystem;
  root: string;
  /** Advances virtual time, yielding to I/O every step. */
  run(ms: number): Promise<void>;
  /** GET as the box's administrator (test/support/api-client.ts). */
  api(pathname: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startSimBox(options: {
  sources: LineSource[];
  board?: string;
  faults?: CardFaults;
  config?: object;
  dataDir?: string;
  /** E1 ports of the simulated card. */
  e1Ports?: E1PortModel[];
  /** The settings file to start with (settings.json in the configuration folder). */
  settings?: object;
  /** Serve the web UI and its live WebSocket too. */
  web?: boolean;
  /** Run the maintenance console on this serial device (one end of a pseudo-terminal pair). */
  consoleDevice?: string;
  /** Saved-log limits, alarm-mail pacing (docs/maintenance.md). */
  maintenance?: MaintenanceOptions;
  /** Trial hours of the box (daemon option). */
  trialHours?: number;
}): Promise<SimBox> {
  const board = await loadBoard(options.board ?? 'sim');
  const clock = new VirtualClock(T0);
  const gpio = new SimGpio(() => clock.now());
  const card = new SimulatedLineCard({ clock: clock.steady, channelCount: board.channels.analog, sources: options.sources, faults: options.faults, e1Ports: options.e1Ports });
  const transport = memoryTransport({ onOpen: (cardSide) => card.attach(cardSide) });
  // A data folder the box makes for itself, and the config and root folders it makes beside any data folder, are removed when the test process exits (a test may start a box again on one).
  const dataDir = options.dataDir ?? tempDir('simbox-');
  const configDir = removeAtExit(path.join(dataDir, '..', `${path.basename(dataDir)}-config`));
  fs.mkdirSync(configDir, { recursive: true });
  if (options.config) fs.writeFileSync(path.join(configDir, 'recorder.json'), JSON.stringify(options.config));
  if (options.settings) fs.writeFileSync(path.join(configDir, 'settings.json'), JSON.stringify(options.settings));
  const root = removeAtExit(path.join(dataDir, '..', `${path.basename(dataDir)}-root`));
  const system = simSystem(root, clock, (ms) => clock.stepTo(ms));
  const host: Host = {
    ...system,
    linecard: transport,
    gpio,
    clock,
    disk: new LinuxDisk(),
    shell: new LinuxShell(),
    sensors: simSensors(() => clock.now()),
    paths: { data: dataDir, config: configDir, log: path.join(dataDir, 'log'), root },
    console: options.consoleDevice ? createConsoleLine({ device: options.consoleDevice, baudRate: 115200 }) : undefined,
    power: new SimPower(),
  };
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  card.start();
  const daemon = await startDaemon({ host, board, log, maintenance: options.maintenance, ...(options.trialHours !== undefined ? { trialHours: options.trialHours } : {}) });
  const web = options.web ?? false;
  const app = createApp(daemon.services, { log, webRoot: web ? WEB_ROOT : undefined });
  const http = await listenMovable(app, 0, '127.0.0.1', web ? (server) => attachLiveSockets(server, daemon.services) : undefined);
  daemon.services.system.attachWebListener(http);
  const consoleServer = await openConsole({ host, board, log, port: http.port }, daemon.services, () => http.port, log);
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const box: SimBox = {
    daemon,
    services: daemon.services,
    get port() {
      return http.port;
    },
    clock,
    card,
    gpio,
    power: host.power as SimPower,
    dataDir,
    system,
    root,
    async run(ms: number) {
      for (let t = 0; t < ms; t += 10) {
        clock.advance(10);
        await settle();
      }
      await daemon.drain();
    },
    async api(pathname: string) {
      const res = await authedFetch(`http://127.0.0.1:${http.port}${pathname}`);
      const type = res.headers.get('content-type') ?? '';
      return { status: res.status, body: type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer()) };
    },
    async stop() {
      card.stop();
      await consoleServer?.stop();
      await http.close();
      await daemon.stop();
    },
  };
  await box.run(50);
  return box;
}
