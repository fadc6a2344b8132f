import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { keepDraft, takeKeptDraft } from './kept-draft';
import { useSessionStore } from './session';

/**
 * What is typed in the composer, kept while the user goes elsewhere in the app (the admins'
 * page, another conversation) and comes back: a question a refusal gave back is not lost on the way.
 */
export const useComposerStore = defineStore('composer', () => {
  const session = useSessionStore();
  const draft = ref(takeKeptDraft(session.user?.name) ?? '');

  /** A refused question back in the box, above whatever was typed since. */
  function giveBack(text: string): void {
    draft.value = draft.value.trim() === '' ? text : `${text}\n${draft.value}`;
  }

  function reset(): void {
    draft.value = '';
  }

  // A session that ended by itself keeps the words for the same user's next sign-in; signing out forgets them.
  session.onSignOut((reason, user) => {
    if (reason === 'ended' && user) keepDraft(user.name, draft.value);
    reset();
  });
  watch(
    () => session.user?.name,
    (name) => {
      const kept = takeKeptDraft(name);
      if (kept) giveBack(kept);
    },
  );

  return { draft, giveBack, reset };
});
