/**
 * UDP sockets for RTP from the configured port range. A port is taken by
 * binding it (a port another program holds is skipped) and returned when
 * its socket closes; the pool never hands out a port twice.
 */
import dgram from 'node:dgram';

export interface PortRange {
  min: number;
  max: number;
}

export class PortPool {
  private readonly used = new Set<number>();
  private next: number;

  constructor(private range: PortRange, private readonly address = '0.0.0.0') {
    this.next = range.min;
  }

  get inUse(): number {
    return this.used.size;
  }

  /** A new range (settings): ports in use stay until their calls end. */
  setRange(range: PortRange): void {
    this.range = range;
    if (this.next < range.min || this.next > range.max) this.next = range.min;
  }

  /** Binds a socket on the next free port of the range; rejects when none can be bound. */
  async open(onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void): Promise<{ socket: dgram.Socket; port: number }> {
    const { min, max } = this.range;
    const count = max - min + 1;
    for (let tries = 0; tries < count; tries++) {
      const port = this.next;
      this.next = port >= max ? min : port + 1;
      if (this.used.has(port)) continue;
      this.used.add(port);
      const socket = dgram.createSocket({ type: 'udp4' });
      try {
        await bind(socket, port, this.address);
      } catch {
        this.used.delete(port);
        socket.close();
        continue;
      }
      socket.on('message', onMessage);
      socket.on('error', () => undefined);
      return { socket, port };
    }
    throw new Error(`no free RTP port in ${min}-${max}`);
  }

  /** Closes a socket of this pool and frees its port. */
  close(socket: dgram.Socket, port: number): Promise<void> {
    return new Promise((resolve) => {
      try {
        socket.close(() => {
          this.used.delete(port);
          resolve();
        });
      } catch {
        this.used.delete(port);
        resolve();
      }
    });
  }
}

function bind(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    socket.once('error', onError);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
