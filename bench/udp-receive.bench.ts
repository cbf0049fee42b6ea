/**
 * Node's own cost of receiving RTP-sized datagrams the way the recorder
 * does (one UDP socket per stream, a 'message' handler that does nothing):
 * the floor under bench/voip-load.bench.ts. A child process sends a 172-byte
 * datagram to each of BENCH_UDP_STREAMS sockets every 20 ms for
 * BENCH_UDP_SECONDS; this process reports its CPU (user + system) per
 * datagram received, and how many arrived.
 *
 *   BENCH_UDP_STREAMS=2000 BENCH_UDP_SECONDS=10 node --import tsx bench/udp-receive.bench.ts
 */
import dgram from 'node:dgram';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const streams = Number(process.env.BENCH_UDP_STREAMS ?? 2000);
const seconds = Number(process.env.BENCH_UDP_SECONDS ?? 10);

if (process.env.UDP_BENCH_SEND) {
  const ports = JSON.parse(process.env.UDP_BENCH_SEND) as number[];
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const start = process.hrtime.bigint();
  const total = seconds * 50;
  let tick = 0;
  await new Promise<void>((done) => {
    const step = () => {
      const due = Math.min(total, Math.floor(Number(process.hrtime.bigint() - start) / 20e6) + 1);
      for (; tick < due; tick++) {
        for (const port of ports) {
          const b = Buffer.alloc(172);
          b[0] = 0x80;
          b[1] = 8;
          b.writeUInt16BE(tick & 0xffff, 2);
          udp.send(b, port, '127.0.0.1');
        }
      }
      if (tick >= total) done();
      else setTimeout(step, 5);
    };
    step();
  });
  setTimeout(() => {
    udp.close();
    process.disconnect();
  }, 300);
} else {
  let received = 0;
  const sockets: dgram.Socket[] = [];
  for (let i = 0; i < streams; i++) {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    s.on('message', () => {
      received++;
    });
    sockets.push(s);
  }
  const ports = sockets.map((s) => s.address().port);
  const cpu0 = process.cpuUsage();
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, UDP_BENCH_SEND: JSON.stringify(ports) } });
  await new Promise((r) => child.once('exit', r));
  const cpu = process.cpuUsage(cpu0);
  const sent = streams * seconds * 50;
  console.log(`udp-receive: ${streams} sockets, ${received}/${sent} datagrams received`);
  console.log(`BENCH udp_receive_cpu ${((cpu.user + cpu.system) / received).toFixed(2)} us/datagram`);
  console.log(`BENCH udp_receive_system_cpu ${(cpu.system / received).toFixed(2)} us/datagram`);
  for (const s of sockets) s.close();
}
