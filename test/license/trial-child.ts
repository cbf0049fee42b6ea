/** A process that runs the trial meter on the real clock until it is killed (trial-kill.test.ts). */
import { TrialMeter } from '../../firmware/license/trial-meter.ts';
import { systemClock } from '../../firmware/host/linux/clock.ts';

const meter = await TrialMeter.open(process.argv[2]!, { error: () => undefined });
await meter.start(systemClock, () => true, 32 * 3600, () => undefined);
process.stdout.write(`charged ${meter.usedS}\n`);
setInterval(() => undefined, 1000);
