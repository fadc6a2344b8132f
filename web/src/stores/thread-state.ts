import { computed, ref } from 'vue';
import { threadView } from '../lib/answer-versions';
import type { AnswerFollower } from './answer-follower';
import type { Failure, LoadFailure, ThreadMessage } from './thread-types';

/**
 * What the thread store holds, shared by the parts it is made of (reading the conversation,
 * asking, unsent questions, versions). Plain fields are not shown, only used.
 */
export function createThreadState() {
  /** Everything loaded: previous versions of answers and unsent questions included. */
  const all = ref<ThreadMessage[]>([]);
  /** The version shown of each answer with several (first version's id → index), when not the newest. */
  const chosen = ref<Record<string, number>>({});
  const view = computed(() => threadView(all.value, chosen.value));
  return {
    conversationId: ref<string>(),
    title: ref(''),
    fileIds: ref<string[]>([]),
    all,
    chosen,
    view,
    /** The thread as it reads: one version of each answer, where the first one stood. */
    messages: computed(() => view.value.shown),
    streaming: computed(() => all.value.some((message) => message.streaming)),
    loading: ref(false),
    notFound: ref(false),
    failure: ref<Failure>(),
    /** The conversation in the URL could not be read (server unreachable, 5xx): Reload tries again. */
    loadFailure: ref<LoadFailure>(),
    /** Older messages not loaded yet: the conversation was too long for one read. */
    omitted: ref(0),
    loadingEarlier: ref(false),
    /** The answer being streamed into the thread, if any: Stop stops it, leaving stops reading it. */
    following: undefined as AnswerFollower | undefined,
    /**
     * Counts the conversations opened (and new chats begun): work started for one compares its
     * ticket with this before it touches the thread, which may show another one by then.
     */
    opened: 0,
    /** Told when a new conversation gets its id (the view puts it in the URL), also on a Retry. */
    announceStarted: undefined as ((conversationId: string) => void) | undefined,
  };
}

export type ThreadState = ReturnType<typeof createThreadState>;
