/**
 * The RS232 maintenance console's line: the board's console UART (115200
 * 8N1, no flow control), or a pseudo-terminal off the box. A relative device
 * is relative to the working directory.
 */
import path from 'node:path';
import type { Board } from '../../board/board-schema.ts';
import type { SerialLine } from '../host.ts';
import { UartTransport } from './uart-transport.ts';

export function createConsoleLine(console: Board['console']): SerialLine | undefined {
  return console ? new UartTransport({ device: path.resolve(console.device), baudRate: console.baudRate }) : undefined;
}
