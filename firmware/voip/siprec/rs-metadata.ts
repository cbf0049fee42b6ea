/**
 * Recording metadata (RFC 7865, and the draft-era shapes SBCs still send):
 * the communication session and its SIP session id, the participants with
 * their address of record and name, the streams with their labels, and which
 * participant sends which stream. Namespace prefixes are ignored; ids are
 * read from `*_id` or `id` attributes. Pure.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface MetadataParticipant {
  id: string;
  aor: string;
  name: string;
  /** Stream ids this participant sends. */
  sends: string[];
  recvs: string[];
}

export interface RecordingMetadata {
  dataMode: 'complete' | 'partial';
  sessionId: string;
  sipSessionIds: string[];
  groupId: string;
  participants: MetadataParticipant[];
  /** Stream id → label. */
  streams: Array<{ id: string; label: string }>;
}

export type MetadataResult = { ok: true; metadata: RecordingMetadata } | { ok: false; reason: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: () => true,
});

type Node = Record<string, unknown>;

function children(node: Node | undefined, name: string): Node[] {
  const v = node?.[name];
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'object' && x !== null ? (x as Node) : { '#text': String(x) }));
}

function text(node: Node | undefined): string {
  if (!node) return '';
  const t = node['#text'];
  if (Array.isArray(t)) return t.map(String).join('').trim();
  return t === undefined ? '' : String(t).trim();
}

function attr(node: Node, ...names: string[]): string {
  for (const n of names) {
    const v = node['@' + n];
    if (v !== undefined && String(v).trim() !== '') return String(v).trim();
  }
  return '';
}

/** Stream ids in `<send>` elements: text, or draft `<send><id>…</id></send>`. */
function ids(nodes: Node[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const direct = text(n);
    if (direct) out.push(direct);
    for (const id of children(n, 'id')) if (text(id)) out.push(text(id));
  }
  return out;
}

export function parseMetadata(xml: string): MetadataResult {
  if (xml.length > 60_000) return { ok: false, reason: 'metadata too large' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: `malformed metadata XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    return { ok: false, reason: `malformed metadata XML: ${e instanceof Error ? e.message : String(e)}` };
  }
  const rootDraft = children(doc, 'recording_metadata')[0];
  const root = children(doc, 'recording')[0] ?? rootDraft;
  if (!root) return { ok: false, reason: 'metadata without a <recording> element' };
  const scope = rootDraft ? { ...rootDraft, ...mergeDraft(rootDraft) } : root;
  const mode = text(children(scope, 'datamode')[0] ?? children(scope, 'dataMode')[0]).toLowerCase();
  const sessions = children(scope, 'session');
  const participants = children(scope, 'participant').map((p): MetadataParticipant => {
    const nameId = children(p, 'nameID')[0];
    const aor = nameId ? attr(nameId, 'aor') : text(children(p, 'aor')[0]);
    const nameNode = children(nameId, 'name')[0] ?? children(p, 'name')[0];
    return { id: attr(p, 'participant_id', 'id'), aor, name: text(nameNode), sends: ids(children(p, 'send')), recvs: ids(children(p, 'recv')) };
  });
  const byId = new Map(participants.map((p) => [p.id, p]));
  for (const a of children(scope, 'participantstreamassoc')) {
    const p = byId.get(attr(a, 'participant_id', 'id'));
    if (!p) continue;
    for (const s of ids(children(a, 'send'))) if (!p.sends.includes(s)) p.sends.push(s);
    for (const s of ids(children(a, 'recv'))) if (!p.recvs.includes(s)) p.recvs.push(s);
  }
  return {
    ok: true,
    metadata: {
      dataMode: mode === 'partial' ? 'partial' : 'complete',
      sessionId: sessions.map((s) => attr(s, 'session_id', 'id')).find(Boolean) ?? '',
      sipSessionIds: sessions.flatMap((s) => children(s, 'sipSessionID').map(text)).filter(Boolean),
      groupId: children(scope, 'group').map((g) => attr(g, 'group_id', 'id')).find(Boolean) ?? '',
      participants,
      streams: children(scope, 'stream').map((s) => ({ id: attr(s, 'stream_id', 'id'), label: text(children(s, 'label')[0]) })),
    },
  };
}

/** Draft format: `<recording_metadata>` holds `<recording>`/`<group>`/`<session>`/`<participant>`/`<stream>` possibly nested. */
function mergeDraft(root: Node): Node {
  const out: Node = {};
  const visit = (n: Node) => {
    for (const key of ['session', 'participant', 'stream', 'group', 'participantstreamassoc', 'datamode', 'dataMode']) {
      const list = children(n, key);
      if (list.length) out[key] = [...((out[key] as Node[]) ?? []), ...list];
    }
    for (const nested of [...children(n, 'recording'), ...children(n, 'group'), ...children(n, 'session')]) visit(nested);
  };
  visit(root);
  return out;
}

/** Combines a later metadata snapshot with the one held: a complete one replaces, a partial one adds and overrides by id. */
export function mergeMetadata(held: RecordingMetadata | null, next: RecordingMetadata): RecordingMetadata {
  if (!held || next.dataMode === 'complete') return next;
  const participants = new Map(held.participants.map((p) => [p.id, p]));
  for (const p of next.participants) participants.set(p.id, p);
  const streams = new Map(held.streams.map((s) => [s.id, s]));
  for (const s of next.streams) streams.set(s.id, s);
  return {
    dataMode: 'complete',
    sessionId: next.sessionId || held.sessionId,
    sipSessionIds: next.sipSessionIds.length ? next.sipSessionIds : held.sipSessionIds,
    groupId: next.groupId || held.groupId,
    participants: [...participants.values()],
    streams: [...streams.values()],
  };
}

/** The participant that sends the stream with this label, if the metadata says. */
export function senderOfLabel(md: RecordingMetadata, label: string): MetadataParticipant | null {
  const streamIds = md.streams.filter((s) => s.label === label).map((s) => s.id);
  if (streamIds.length === 0) return null;
  return md.participants.find((p) => p.sends.some((s) => streamIds.includes(s))) ?? null;
}

/** The number or user part of an address of record (`sip:+861391@host;user=phone` → `+861391`). */
export function numberOfAor(aor: string): string {
  const noScheme = aor.trim().replace(/^(sips?|tel):/i, '');
  return noScheme.split('@')[0]!.split(';')[0]!.split(':')[0]!.trim();
}
