import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { reactive } from 'vue';
import { createAppI18n } from '../i18n';
import type { ThreadMessage } from '../stores/thread';
import MessageList from './MessageList.vue';

/** happy-dom lays nothing out: the scroller is given a tall thread in a short window. */
function tallScroller(element: HTMLElement): void {
  Object.defineProperty(element, 'scrollHeight', { configurable: true, get: () => 3000 });
  Object.defineProperty(element, 'clientHeight', { configurable: true, get: () => 600 });
}

describe('MessageList', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('leaves a reader who scrolled up where they are when the server names the messages being sent', async () => {
    const now = new Date().toISOString();
    const messages = reactive<ThreadMessage[]>([
      { id: 'q1', role: 'user', content: 'Budget', timestamp: now },
      { id: 'a1', role: 'assistant', content: 'A long answer', timestamp: now },
    ]);
    const list = mount(MessageList, {
      props: { messages, canRegenerate: false, files: {} },
      global: { plugins: [createAppI18n('en')] },
      attachTo: document.body,
    });
    const scroller = list.find('[role=log]').element.parentElement!;
    tallScroller(scroller);

    // The user sends: their question and the answer's place are added, and the thread follows.
    messages.push({ id: 'local-q-1', role: 'user', content: 'Risks', timestamp: now });
    messages.push({ id: 'local-a-1', role: 'assistant', content: '', timestamp: now, streaming: true });
    await flushPromises();
    expect(scroller.scrollTop).toBeGreaterThan(0);

    // They scroll up to read before the server has answered a word.
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    await flushPromises();
    expect(list.find('button[aria-label="Jump to latest"]').exists()).toBe(true);

    // The server names the question and the answer (meta), then the answer grows: not a reason to pull them down.
    messages[2]!.id = 'q2';
    messages[3]!.id = 'a2';
    await flushPromises();
    messages[3]!.content += 'First words';
    await flushPromises();
    expect(scroller.scrollTop).toBe(0);
    expect(list.find('button[aria-label="Jump to latest"]').exists()).toBe(true);
    list.unmount();
  });

  it('leaves a reader who scrolled up where they are when the same thread is read again, and follows one who was following', async () => {
    const now = new Date().toISOString();
    const thread = (answer: string): ThreadMessage[] => [
      { id: 'q1', role: 'user', content: 'Budget', timestamp: now },
      { id: 'a1', role: 'assistant', content: answer, timestamp: now },
    ];
    const list = mount(MessageList, {
      props: { messages: thread('Half an'), canRegenerate: false, files: {} },
      global: { plugins: [createAppI18n('en')] },
      attachTo: document.body,
    });
    const scroller = list.find('[role=log]').element.parentElement!;
    tallScroller(scroller);
    await list.setProps({ messages: thread('Half an answer') });
    await flushPromises();
    const bottom = scroller.scrollTop;
    expect(bottom).toBeGreaterThan(0);

    // Read up there; then the server's copy replaces the thread (new objects, the same messages).
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    await flushPromises();
    await list.setProps({ messages: thread('Half an answer, stored whole.') });
    await flushPromises();
    expect(scroller.scrollTop).toBe(0);
    expect(list.find('button[aria-label="Jump to latest"]').exists()).toBe(true);

    // Following, the end stays in view.
    await list.find('button[aria-label="Jump to latest"]').trigger('click');
    await flushPromises();
    await list.setProps({ messages: thread('Half an answer, stored whole, again.') });
    await flushPromises();
    expect(scroller.scrollTop).toBe(bottom);
    list.unmount();
  });
});
