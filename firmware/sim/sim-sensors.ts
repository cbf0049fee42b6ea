/** Board sensors of the simulated board. */
import type { Sensors } from '../host/host.ts';

export function simSensors(now: () => number = Date.now): Sensors {
  return {
    boardId: async () => 'SIM-0000000001',
    temperatureC: async () => 41.5,
    rtcTime: async () => now(),
    close: async () => {},
  };
}
