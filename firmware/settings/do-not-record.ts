/**
 * The do-not-record list (免录名单): remote numbers whose calls are not kept.
 * An entry is a number, or a pattern where `%` stands for any digits as on the
 * search page (`400%` every number starting with 400, `%110` ending with 110,
 * `0755%8888` both); each may carry a note. The recorder asks the matcher when
 * a call's recording closes, so it answers from hash lookups by the number
 * and by each of its starts and ends, and tries one by one only the patterns
 * with a wildcard at both ends.
 */
import { z } from 'zod';

export const MAX_DO_NOT_RECORD = 1000;

export const doNotRecordEntrySchema = z.object({
  number: z
    .string()
    .regex(/^[0-9*#A-D+%]{1,32}$/, 'digits, * # A-D + and the % wildcard, up to 32')
    .refine((n) => /[^%]/.test(n), 'a pattern of % alone would match every call'),
  note: z.string().max(64).default(''),
});

export type DoNotRecordEntry = z.infer<typeof doNotRecordEntrySchema>;
/** An entry as given to the store: the note may be left out. */
export type DoNotRecordInput = z.input<typeof doNotRecordEntrySchema>;

export const doNotRecordListSchema = z
  .array(doNotRecordEntrySchema)
  .max(MAX_DO_NOT_RECORD, `at most ${MAX_DO_NOT_RECORD} entries`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.number)) ctx.addIssue({ code: 'custom', path: [i, 'number'], message: `'${e.number}' is listed twice` });
      seen.add(e.number);
    });
  });

/** A pattern with a wildcard inside: its fixed start, its fixed end and the pieces between, in order. */
interface Pattern {
  head: string;
  tail: string;
  middle: string[];
  entry: DoNotRecordEntry;
}

function fits(p: Pattern, n: string): boolean {
  if (n.length < p.head.length + p.tail.length || !n.startsWith(p.head) || !n.endsWith(p.tail)) return false;
  let at = p.head.length;
  const end = n.length - p.tail.length;
  for (const piece of p.middle) {
    const found = n.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** Values keyed by a fixed start or end of the number, looked up by each start or end of it. */
class Affixes<T> {
  private readonly map = new Map<string, T[]>();
  private longest = 0;

  constructor(private readonly fromEnd: boolean) {}

  add(affix: string, value: T): void {
    const list = this.map.get(affix);
    if (list) list.push(value);
    else this.map.set(affix, [value]);
    this.longest = Math.max(this.longest, affix.length);
  }

  /** The first value, longest affix first, that `accept` takes. */
  find(n: string, accept: (value: T) => boolean): T | null {
    for (let len = Math.min(n.length, this.longest); len >= 1; len--) {
      const list = this.map.get(this.fromEnd ? n.slice(n.length - len) : n.slice(0, len));
      if (list) for (const v of list) if (accept(v)) return v;
    }
    return null;
  }
}

const any = (): boolean => true;

export class DoNotRecordList {
  private readonly exact = new Map<string, DoNotRecordEntry>();
  /** `400%`: the number starts with the key. */
  private readonly prefixes = new Affixes<DoNotRecordEntry>(false);
  /** `%110`: the number ends with the key. */
  private readonly suffixes = new Affixes<DoNotRecordEntry>(true);
  /** `0755%8888`, `%12%34`: found by the fixed end (the start when there is no end), then checked in full. */
  private readonly byTail = new Affixes<Pattern>(true);
  private readonly byHead = new Affixes<Pattern>(false);
  /** `%5555%`: no fixed start or end, checked one by one. */
  private readonly loose: Pattern[] = [];

  constructor(readonly entries: readonly DoNotRecordEntry[] = []) {
    for (const entry of entries) {
      const parts = entry.number.split(/%+/);
      const head = parts[0]!;
      const tail = parts[parts.length - 1]!;
      if (parts.length === 1) this.exact.set(head, entry);
      else if (parts.length === 2 && !tail) this.prefixes.add(head, entry);
      else if (parts.length === 2 && !head) this.suffixes.add(tail, entry);
      else {
        const pattern: Pattern = { head, tail, middle: parts.slice(1, -1).filter(Boolean), entry };
        if (tail) this.byTail.add(tail, pattern);
        else if (head) this.byHead.add(head, pattern);
        else this.loose.push(pattern);
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Whether calls with this remote number are not kept. An unknown (empty) number matches nothing. */
  matches(remoteNumber: string): boolean {
    return this.match(remoteNumber) !== null;
  }

  /** The entry that rules a number out (exact first, then by the longest fixed start or end), or null. */
  match(remoteNumber: string): DoNotRecordEntry | null {
    const n = remoteNumber;
    if (!n || !this.entries.length) return null;
    const fitting = (p: Pattern): boolean => fits(p, n);
    return (
      this.exact.get(n) ??
      this.prefixes.find(n, any) ??
      this.suffixes.find(n, any) ??
      this.byTail.find(n, fitting)?.entry ??
      this.byHead.find(n, fitting)?.entry ??
      this.loose.find(fitting)?.entry ??
      null
    );
  }
}
