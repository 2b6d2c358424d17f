/** What an update has to do to the cluster's tags: keys to remove, and tags to add or change. */
import type { ClusterTag } from './properties';

export interface TagDiff {
  remove: string[];
  put: ClusterTag[];
}

export function diffTags(before: ClusterTag[], after: ClusterTag[]): TagDiff {
  const previous = new Map(before.map((t) => [t.Key, t.Value]));
  const next = new Set(after.map((t) => t.Key));
  return {
    remove: before.filter((t) => !next.has(t.Key)).map((t) => t.Key),
    put: after.filter((t) => previous.get(t.Key) !== t.Value),
  };
}
