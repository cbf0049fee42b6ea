/** Each octet with its bit order reversed (a line card that delivers TS16 least significant bit first). */
const REVERSED = Uint8Array.from({ length: 256 }, (_, v) => {
  let r = 0;
  for (let k = 0; k < 8; k++) if (v & (1 << k)) r |= 0x80 >>> k;
  return r;
});

export function reverseBits(octets: Uint8Array): Uint8Array {
  return octets.map((v) => REVERSED[v]!);
}
