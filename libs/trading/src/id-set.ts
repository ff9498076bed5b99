/**
 * An append-only set of handled ids (transfers, orders, fills) for idempotency checks in state.
 * Copying a record per event made replaying an account quadratic (20,000 fills took minutes), so
 * versions share one Map: each id is stored with its insertion index and a version sees only the
 * ids below its own size. Adding to the newest version is O(1); adding to an older version (a
 * branch, e.g. a retried decision) copies its prefix first, so every version stays unchanged.
 */
export interface IdSet {
  readonly index: Map<string, number>;
  readonly size: number;
}

export const emptyIdSet = (): IdSet => ({ index: new Map(), size: 0 });

export function hasId(set: IdSet, id: string): boolean {
  const at = set.index.get(id);
  return at !== undefined && at < set.size;
}

export function addId(set: IdSet, id: string): IdSet {
  if (hasId(set, id)) return set;
  const index = set.index.size === set.size ? set.index : new Map([...set.index].filter(([, at]) => at < set.size));
  index.set(id, set.size);
  return { index, size: set.size + 1 };
}
