/** A host end for the simulated card in tests: decodes everything the card sends. */
import { SlipDecoder, slipEncode } from '../../firmware/linecard/slip.ts';
import {
  decodeMessage,
  encodeMessage,
  isDecodeFailure,
  type AnyMessage,
  type DecodeFailure,
  type HostCommand,
} from '../../firmware/linecard/messages.ts';
import { SimulatedLineCard, type SimulatedLineCardOptions } from '../../firmware/sim/linecard-card.ts';
import { createLinkPair } from '../../firmware/sim/memory-link.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import type { LineSource } from '../../firmware/sim/line-model.ts';

export function cardRig(options: { channelCount?: number; sources?: LineSource[] } & Partial<SimulatedLineCardOptions> = {}) {
  const clock = new VirtualClock(1_700_000_000_000);
  const [host, cardSide] = createLinkPair();
  const card = new SimulatedLineCard({ clock, channelCount: options.channelCount ?? 4, sources: options.sources ?? [], ...options });
  card.attach(cardSide);
  const messages: AnyMessage[] = [];
  const failures: DecodeFailure[] = [];
  const decoder = new SlipDecoder();
  host.onData((chunk) =>
    decoder.push(chunk, (frame) => {
      const m = decodeMessage(frame);
      if (isDecodeFailure(m)) failures.push(m);
      else messages.push(m);
    }),
  );
  const send = (c: HostCommand) => host.write(slipEncode(encodeMessage(c)));
  const take = () => messages.splice(0, messages.length);
  return { clock, host, cardSide, card, messages, failures, decoder, send, take };
}
