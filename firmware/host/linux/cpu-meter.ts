/** System CPU time from the kernel's per-CPU counters (what /proc/stat holds), for the CPU-use alarm. */
import os from 'node:os';
import type { CpuMeter } from '../host.ts';

export const linuxCpu: CpuMeter = {
  times() {
    let busyMs = 0;
    let totalMs = 0;
    for (const c of os.cpus()) {
      const { user, nice, sys, idle, irq } = c.times;
      busyMs += user + nice + sys + irq;
      totalMs += user + nice + sys + irq + idle;
    }
    return { busyMs, totalMs };
  },
};
