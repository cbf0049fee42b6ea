/**
 * The canonical encoding of custody statements: JSON with the keys of every
 * object sorted (by UTF-16 code units), no whitespace, strings escaped as
 * JSON.stringify does, UTF-8 — RFC 8785 (JCS) restricted to what statements
 * hold: objects, strings, safe integers, booleans and null (no floats, no
 * arrays). A value outside that set is refused, so two encoders never differ.
 */

export type Canonical = string | number | boolean | null | { [key: string]: Canonical };

export function canonicalJson(value: Canonical): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`a statement holds integers only, not ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('a statement holds objects, strings, integers, booleans and null');
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = value[k];
    if (v === undefined) throw new Error(`statement field ${k} is undefined`);
    out += `${i ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

export function canonicalBytes(value: Canonical): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
