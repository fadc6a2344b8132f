import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationSummary } from '../api/types';
import { unsentQuestionsOf } from '../lib/unsent-questions';
import { useSessionStore } from './session';

/** The sidebar: the user's conversations, newest first, paged through the API's cursor. */
export const useConversationsStore = defineStore('conversations', () => {
  const items = ref<ConversationSummary[]>([]);
  const nextCursor = ref<string>();
  const loading = ref(false);
  const loaded = ref(false);
  const filter = ref('');

  const visible = computed(() => {
    const words = filter.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return items.value;
    return items.value.filter((item) => words.every((word) => item.title.toLocaleLowerCase().includes(word)));
  });
  const hasMore = computed(() => nextCursor.value !== undefined);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const page = await useSessionStore().client().listConversations();
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (loading.value || !nextCursor.value) return;
    loading.value = true;
    try {
      const page = await useSessionStore().client().listConversations(nextCursor.value);
      const known = new Set(items.value.map((item) => item.conversationId));
      items.value.push(...page.items.filter((item) => !known.has(item.conversationId)));
      nextCursor.value = page.nextCursor;
    } finally {
      loading.value = false;
    }
  }

  /** A conversation just created or answered moves to the top (of Today), keeping when it was created. */
  function upsert(summary: ConversationSummary): void {
    const known = items.value.find((item) => item.conversationId === summary.conversationId);
    const moved = known ? { ...summary, createdAt: known.createdAt } : summary;
    items.value = [moved, ...items.value.filter((item) => item.conversationId !== summary.conversationId)];
  }

  async function rename(id: string, title: string): Promise<void> {
    const updated = await useSessionStore().client().renameConversation(id, title);
    items.value = items.value.map((item) => (item.conversationId === id ? { ...item, title: updated.title } : item));
  }

  /** Deletes a conversation, and the questions this browser kept unsent for it: they have nowhere to go. */
  async function remove(id: string): Promise<void> {
    const session = useSessionStore();
    await session.client().deleteConversation(id);
    items.value = items.value.filter((item) => item.conversationId !== id);
    unsentQuestionsOf(session.user)?.forgetConversation(id);
  }

  function reset(): void {
    items.value = [];
    nextCursor.value = undefined;
    loaded.value = false;
    filter.value = '';
  }

  useSessionStore().onSignOut(reset);

  return { items, visible, filter, hasMore, loading, loaded, refresh, loadMore, upsert, rename, remove, reset };
});
