/**
 * The master's search over the cascade: each box answers its first
 * `offset + limit` matches newest first with its total; the page is cut from
 * their merge in time order, and the total is the sum. Pure.
 */
export interface BoxAnswer<T> {
  box: string;
  total: number;
  items: T[];
}

export function mergePage<T extends { startedAt: number; id: string }>(answers: ReadonlyArray<BoxAnswer<T>>, offset: number, limit: number): { total: number; items: Array<T & { box: string }> } {
  const all: Array<T & { box: string }> = [];
  for (const a of answers) for (const item of a.items) all.push({ ...item, box: a.box });
  all.sort((x, y) => y.startedAt - x.startedAt || (x.box < y.box ? -1 : x.box > y.box ? 1 : 0) || (x.id < y.id ? 1 : -1));
  return { total: answers.reduce((n, a) => n + a.total, 0), items: all.slice(offset, offset + limit) };
}
