import { defineStore } from 'pinia';
import { ref } from 'vue';

/**
 * What is typed in the composer, kept while the user goes elsewhere in the app (the admins'
 * page, another conversation) and comes back: a question a refusal gave back is not lost on the way.
 */
export const useComposerStore = defineStore('composer', () => {
  const draft = ref('');

  function reset(): void {
    draft.value = '';
  }

  return { draft, reset };
});
