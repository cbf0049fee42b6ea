/**
 * Work mode and cascade (工作模式, manual 3.13). A slave registers with its
 * master and answers its signed requests; the master's search, statistics
 * and playback cover its slaves: each slave is asked in parallel, answers
 * are checked, merged newest first with the totals summed, and audio is
 * streamed from the box that holds the file. A slave that is down, refuses
 * or answers garbage is reported with its state, and the master's own
 * results are served all the same. Slaves record whatever the master does.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RecorderError } from '../errors.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { cascadeSettingsSchema, type CascadeSettings } from '../settings/cascade-settings.ts';
import { patchSchema } from '../settings/patch-schema.ts';
import type { RecordQuery } from '../recording/record-query-types.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { StatsQuery } from '../recording/stats-query.ts';
import type { BoxEvent } from '../events/box-events.ts';
import { CASCADE_HEADERS, signatureValid } from '../cascade/cascade-signature.ts';
import { mergePage } from '../cascade/merge.ts';
import { peerFetch, peerJson, PeerError } from '../cascade/peer-client.ts';
import type { SlaveRegistry, SlaveState } from '../cascade/slave-registry.ts';
import type { MasterLink, MasterLinkStatus } from '../cascade/master-link.ts';
import type { RecordService } from './record-service.ts';
import type { StorageService, StatsResult } from './storage-service.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';
import { peerSearchAnswer, peerStatsAnswer } from './cascade-schemas.ts';
import { SettingsTurn } from './settings-turn.ts';

export { peerSearchSchema, peerStatsQuerySchema } from './cascade-schemas.ts';

export type CascadePatch = Partial<CascadeSettings>;
export const cascadePatchSchema = patchSchema(cascadeSettingsSchema);
export type CascadeView = Omit<CascadeSettings, 'secret'> & { secretSet: boolean; effectiveBoxId: string };

/** Deepest page of a merged search: each box is asked for offset + limit records. */
export const MAX_MERGED_WINDOW = 5000;

export interface BoxReport {
  box: string;
  local: boolean;
  state: 'online' | 'down' | 'refused' | 'invalid';
  detail: string;
  total: number | null;
}

export interface CascadeStatus {
  mode: CascadeSettings['mode'];
  box: string;
  master: MasterLinkStatus | null;
  slaves: SlaveState[];
}

export interface PeerIdentity {
  method: string;
  /** Path and query as received. */
  path: string;
  header: (name: string) => string;
}

export interface ProxiedAudio {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

export class CascadeService {
  private readonly turns = new SettingsTurn();

  constructor(
    private readonly store: SettingsStore,
    private readonly serial: string,
    private readonly registry: SlaveRegistry,
    private readonly link: MasterLink,
    private readonly records: RecordService,
    private readonly storage: StorageService,
    private readonly audit: Auditor,
    private readonly publish: (e: BoxEvent) => void,
    private readonly now: () => number,
  ) {}

  get boxId(): string {
    return this.store.cascade.boxId || this.serial;
  }

  view(): CascadeView {
    const { secret, ...rest } = this.store.cascade;
    return { ...rest, secretSet: secret !== '', effectiveBoxId: this.boxId };
  }

  revision(): string {
    return revisionOf(this.store.cascade);
  }

  async update(principal: Principal, patch: CascadePatch, ifRevision?: string): Promise<CascadeView> {
    const shown = { ...patch, ...(patch.secret !== undefined ? { secret: '***' } : {}) };
    await this.audit.run(principal, { item: 'cascade', operation: 'set', parameter: Object.keys(patch).join(',') || 'none', detail: JSON.stringify(shown) }, () => {
      return this.turns.run(() => this.revision(), ifRevision, () => this.store.updateCascade((c) => ({ ...c, ...patch })));
    });
    return this.view();
  }

  status(): CascadeStatus {
    const mode = this.store.cascade.mode;
    return { mode, box: this.boxId, master: mode === 'slave' ? this.link.current : null, slaves: mode === 'master' ? this.registry.list(this.now()) : [] };
  }

  forget(principal: Principal, box: string): Promise<void> {
    return this.audit.run(principal, { item: 'cascade', operation: 'delete', parameter: box }, () => {
      if (!this.registry.forget(box)) throw new RecorderError('CASCADE_BOX_NOT_FOUND', `no slave ${box}`);
    });
  }

  // ── between boxes ──

  /** The box a signed request comes from; refused (cascade_signature) unless this box is in a cascade and the signature holds. */
  verifyPeer(req: PeerIdentity): string {
    const c = this.store.cascade;
    const box = req.header(CASCADE_HEADERS.box);
    const ok = c.mode !== 'standalone' && /^[A-Za-z0-9._-]{1,40}$/.test(box)
      && signatureValid(c.secret, { method: req.method, path: req.path, box, time: Number(req.header(CASCADE_HEADERS.time)) }, req.header(CASCADE_HEADERS.signature), this.now());
    if (!ok) throw new RecorderError('cascade_signature');
    return box;
  }

  /** A slave registers (the master only). */
  register(box: string, url: string): { master: string } {
    if (this.store.cascade.mode !== 'master') throw new RecorderError('CASCADE_NOT_MASTER');
    if (!/^https?:\/\/[^\s]{1,200}$/.test(url)) throw new RecorderError('BAD_REQUEST', 'url: an http(s) URL');
    if (box === this.boxId) throw new RecorderError('BAD_REQUEST', `box ${box} is this master's own id`);
    const wasDown = this.registry.list(this.now()).find((s) => s.box === box)?.state !== 'online';
    this.registry.register(box, url, this.now());
    if (wasDown) this.publish({ type: 'cascade.box', box, state: 'online', detail: url, at: this.now() });
    return { master: this.boxId };
  }

  // ── the master's view of the cascade ──

  /** One search over the master and its slaves, newest first. */
  async search(principal: Principal, q: RecordQuery): Promise<{ total: number; items: Array<RecordEntry & { box: string }>; boxes: BoxReport[] }> {
    if (q.offset + q.limit > MAX_MERGED_WINDOW) throw new RecorderError('BAD_REQUEST', `a search over the cascade reaches at most ${MAX_MERGED_WINDOW} records deep`);
    const window = { ...q, offset: 0, limit: q.offset + q.limit };
    const { answers, boxes } = await this.askAll(
      async () => {
        const r = await this.records.search(principal, window);
        return { total: r.total, items: r.items };
      },
      (base) => peerJson(peerSearchAnswer, { ...this.peer(base), path: `/api/v1/cascade/peer/records?q=${encodeURIComponent(JSON.stringify(window))}` }),
      (a) => a.total,
    );
    const page = mergePage(answers, q.offset, q.limit);
    return { ...page, boxes };
  }

  /** Statistics of every box, and their sum. */
  async stats(principal: Principal, q: StatsQuery): Promise<{ items: Array<StatsResult & { box: string }>; total: StatsResult['total']; boxes: BoxReport[] }> {
    const { answers, boxes } = await this.askAll(
      async () => this.storage.stats(principal, q),
      (base) => peerJson(peerStatsAnswer, { ...this.peer(base), path: `/api/v1/cascade/peer/stats?q=${encodeURIComponent(JSON.stringify(q))}` }),
      (a) => a.total.recordings,
    );
    const total = { incoming: 0, outgoing: 0, missed: 0, recordings: 0, durationMs: 0 };
    for (const a of answers) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += a.total[k];
    return { items: answers, total, boxes };
  }

  /** A slave's recording streamed through the master (with the player's Range). */
  async slaveAudio(box: string, id: string, range: string | undefined): Promise<ProxiedAudio> {
    this.requireMaster();
    const slave = this.registry.get(box);
    if (!slave) throw new RecorderError('CASCADE_BOX_NOT_FOUND', `no slave ${box}`);
    let res: Response;
    try {
      res = await peerFetch({ ...this.peer(slave.url), path: `/api/v1/cascade/peer/records/${encodeURIComponent(id)}/audio`, headers: range ? { range } : {}, timeoutMs: 10_000 });
    } catch (e) {
      this.note(box, e);
      if (e instanceof PeerError && e.kind === 'invalid') throw new RecorderError('RECORD_NOT_FOUND', `recording ${id} is not on ${box}`);
      throw new RecorderError('CASCADE_BOX_DOWN', (e as Error).message);
    }
    this.note(box, null);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-length', 'content-range', 'accept-ranges', 'content-disposition']) {
      const v = res.headers.get(h);
      if (v) headers[h] = v;
    }
    if (!/^audio\//.test(headers['content-type'] ?? '')) {
      await res.body?.cancel().catch(() => undefined);
      this.note(box, new PeerError('invalid', `${box}: the audio answer is ${headers['content-type'] ?? 'untyped'}`));
      throw new RecorderError('CASCADE_BOX_DOWN', `${box} did not answer with audio`);
    }
    return { status: res.status, headers, body: Readable.fromWeb(res.body as unknown as WebReadableStream) };
  }

  private async askAll<T>(
    local: () => Promise<T>,
    remote: (base: string) => Promise<T>,
    count: (t: T) => number,
  ): Promise<{ answers: Array<T & { box: string }>; boxes: BoxReport[] }> {
    this.requireMaster();
    const slaves = this.registry.list(this.now());
    const [own, ...others] = await Promise.allSettled([local(), ...slaves.map((s) => remote(s.url))]);
    if (own!.status === 'rejected') throw own!.reason;
    const answers: Array<T & { box: string }> = [{ ...own!.value, box: this.boxId }];
    const boxes: BoxReport[] = [{ box: this.boxId, local: true, state: 'online', detail: '', total: count(own!.value) }];
    others.forEach((r, i) => {
      const box = slaves[i]!.box;
      if (r.status === 'fulfilled') {
        this.note(box, null);
        answers.push({ ...r.value, box });
        boxes.push({ box, local: false, state: 'online', detail: '', total: count(r.value) });
      } else {
        const p = this.note(box, r.reason);
        boxes.push({ box, local: false, state: p.kind, detail: p.detail, total: null });
      }
    });
    return { answers, boxes };
  }

  /** Records how a slave answered; publishes a change of its state. */
  private note(box: string, error: unknown): { kind: 'down' | 'refused' | 'invalid'; detail: string } {
    const problem = error === null ? null : error instanceof PeerError ? { kind: error.kind, detail: error.message } : { kind: 'down' as const, detail: String((error as Error)?.message ?? error) };
    if (this.registry.mark(box, problem, this.now())) {
      this.publish({ type: 'cascade.box', box, state: problem ? (problem.kind === 'invalid' ? 'invalid' : 'down') : 'online', detail: problem?.detail ?? '', at: this.now() });
    }
    return problem ?? { kind: 'down', detail: '' };
  }

  private peer(base: string) {
    return { base, secret: this.store.cascade.secret, box: this.boxId, now: this.now() };
  }

  private requireMaster(): void {
    if (this.store.cascade.mode !== 'master') throw new RecorderError('CASCADE_NOT_MASTER');
  }
}
