import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useSessionStore } from './session';

/**
 * What is typed in the composer, kept while the user goes elsewhere in the app (the admins'
 * page, another conversation) and comes back: a question a refusal gave back is not lost on the way.
 */
export const useComposerStore = defineStore('composer', () => {
  const draft = ref('');

  /** A refused question back in the box, above whatever was typed since. */
  function giveBack(text: string): void {
    draft.value = draft.value.trim() === '' ? text : `${text}\n${draft.value}`;
  }

  function reset(): void {
    draft.value = '';
  }

  useSessionStore().onSignOut(reset);

  return { draft, giveBack, reset };
});
