import type { Message } from '../api/types';

/** Where an answer stands among the versions Regenerate made of it: "‹ 2 / 3 ›". */
export interface VersionInfo {
  /** 1 for the first answer. */
  position: number;
  count: number;
  /** The first version's id: what the versions of one answer have in common. */
  root: string;
}

export interface ThreadView<T> {
  /** The messages as the thread shows them: one version per answer, at the first version's place. */
  shown: T[];
  /** For each answer shown that has several versions. */
  versions: Map<string, VersionInfo>;
  /** Every version of each answer, oldest first, by the first version's id. */
  groups: Map<string, T[]>;
}

/**
 * The thread as people read it. A regenerated answer names the one it replaces (`replaces`), and
 * chains grow with each Regenerate; the thread shows one version of each answer where the first
 * one stood (right under its question), the newest unless `chosen` (first version's id → index)
 * says otherwise. Versions whose first one is not loaded (an older page) stand on their own.
 */
export function threadView<T extends Message>(messages: readonly T[], chosen: Readonly<Record<string, number>> = {}): ThreadView<T> {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const rootOf = (message: T): string => {
    let current = message;
    const seen = new Set<string>();
    while (current.replaces !== undefined && !seen.has(current.id)) {
      seen.add(current.id);
      const replaced = byId.get(current.replaces);
      if (!replaced) break;
      current = replaced;
    }
    return current.id;
  };

  const groups = new Map<string, T[]>();
  const roots = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    const root = rootOf(message);
    roots.set(message.id, root);
    groups.set(root, [...(groups.get(root) ?? []), message]);
  }

  const shown: T[] = [];
  const versions = new Map<string, VersionInfo>();
  for (const message of messages) {
    const root = roots.get(message.id);
    if (root === undefined) {
      shown.push(message);
      continue;
    }
    if (root !== message.id) continue; // shown at its first version's place
    const group = groups.get(root)!;
    const index = Math.min(Math.max(chosen[root] ?? group.length - 1, 0), group.length - 1);
    const version = group[index]!;
    shown.push(version);
    if (group.length > 1) versions.set(version.id, { position: index + 1, count: group.length, root });
  }
  return { shown, versions, groups };
}
