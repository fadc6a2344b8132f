import type { VersionInfo } from '../lib/answer-versions';
import type { ThreadState } from './thread-state';

/**
 * An answer's versions (Regenerate keeps the old one as a previous version): which one the thread
 * shows, and paging through them.
 */
export function threadVersions(state: ThreadState) {
  /** The first version's id of an answer, shown or not. */
  function rootOf(answerId: string): string {
    for (const [root, group] of state.view.value.groups) if (group.some((version) => version.id === answerId)) return root;
    return answerId;
  }

  /** The newest version of the answer `answerId` is one of: the one the server replaces on Regenerate. */
  function newestOf(answerId: string): string {
    return state.view.value.groups.get(rootOf(answerId))?.at(-1)?.id ?? answerId;
  }

  /** Where an answer stands among its versions, when it has several. */
  function versionsOf(id: string): VersionInfo | undefined {
    return state.view.value.versions.get(id);
  }

  /** Shows the previous (-1) or next (+1) version of an answer. */
  function showVersion(id: string, step: -1 | 1): void {
    const info = state.view.value.versions.get(id);
    if (!info) return;
    const index = info.position - 1 + step;
    if (index < 0 || index >= info.count) return;
    state.chosen.value = { ...state.chosen.value, [info.root]: index };
  }

  return { rootOf, newestOf, versionsOf, showVersion };
}
