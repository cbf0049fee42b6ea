/**
 * 处理信息's rates are taken over the last 10 s or more of the box's own
 * readings: a second page reading half a second after the first gets the
 * same window, not half a second of it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pino from 'pino';
import { DiagnosticsService } from '../../firmware/app/diagnostics-service.ts';
import { Auditor } from '../../firmware/app/audit.ts';

function service() {
  let t = 0;
  let frames = 0;
  const audit = new Auditor({ append: async () => undefined } as never, () => t, pino({ level: 'silent' }));
  const diagnostics = new DiagnosticsService({
    shell: {} as never,
    audit,
    now: () => 1_800_000_000_000 + t,
    monotonic: () => t,
    startedAt: 1_800_000_000_000,
    sources: {
      link: () => ({ up: true, stats: { frames, crcErrors: 0, malformedFrames: 0, unknownFrames: 0 } as never }),
      recorder: () => ({ open: 0, waitingToIndex: 0, stats: {} }),
      events: () => ({ subscriptions: 0, listeners: 0, queued: 0, dropped: 0, published: 0, listenerErrors: 0 }),
      mail: () => ({ noted: 0, mails: 0, failedMails: 0, waiting: false }),
      channels: () => ({ analog: 8, e1Timeslots: 0, recording: 0 }),
    },
  });
  return { diagnostics, at: (ms: number) => (t = ms), addFrames: (n: number) => (frames += n) };
}

test('a reader half a second after another still sees the rate over ten seconds', () => {
  const s = service();
  try {
    s.at(0);
    assert.is(s.diagnostics.processing().linecard.framesPerSecond, null, 'no rate before a second reading');
    s.at(5_000);
    s.addFrames(1000); // a burst in the middle of the window
    s.at(10_000);
    assert.is(s.diagnostics.processing().linecard.framesPerSecond, 100);
    s.at(10_500);
    const second = s.diagnostics.processing().linecard.framesPerSecond!;
    assert.ok(second > 90 && second <= 100, `rate ${second}/s over the window, not 0 over half a second`);
    // Later readings move the window on: ten seconds after the burst, it is out of it.
    for (let ms = 12_000; ms <= 30_000; ms += 2_000) {
      s.at(ms);
      s.diagnostics.processing();
    }
    s.at(31_000);
    assert.is(s.diagnostics.processing().linecard.framesPerSecond, 0);
  } finally {
    s.diagnostics.close();
  }
});

test.run();
