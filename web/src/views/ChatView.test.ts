import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type PropType } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiError, type ApiClient } from '../api/client';
import type { Conversation } from '../api/types';
import { createAppI18n } from '../i18n';
import { useConversationsStore } from '../stores/conversations';
import { useSessionStore } from '../stores/session';
import { useThreadStore } from '../stores/thread';
import ChatView from './ChatView.vue';

// The thread as a plain log: the real one shows the site's icon (/favicon.svg), which the test's
// bundler cannot resolve, and this test is about what surrounds it.
vi.mock('../components/MessageList.vue', () => ({
  default: defineComponent({
    props: { messages: { type: Array as PropType<Array<{ content: string }>>, required: true } },
    setup: (props) => () => h('div', { role: 'log' }, props.messages.map((message) => h('article', message.content))),
  }),
}));

const conversation: Conversation = {
  conversationId: 'c1',
  title: 'Trip to Lyon',
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-02T10:01:00.000Z',
  fileIds: [],
  messages: [
    { id: 'u1', role: 'user', content: 'Which train?', timestamp: '2026-11-02T10:00:00.000Z' },
    { id: 'a1', role: 'assistant', content: 'The 8:04.', timestamp: '2026-11-02T10:01:00.000Z' },
  ],
};

/** ChatView at `path`, its `GET /conversations/{id}` answering with the outcomes in turn. */
async function mountChat(path: string, ...outcomes: Array<Conversation | ApiError>) {
  let calls = 0;
  useSessionStore().client = () =>
    ({
      getConversation: async () => {
        const outcome = outcomes[Math.min(calls++, outcomes.length - 1)]!;
        if (outcome instanceof ApiError) throw outcome;
        return structuredClone(outcome);
      },
      listConversations: async () => ({ items: [{ conversationId: 'c1', title: 'Trip to Lyon', createdAt: conversation.createdAt, updatedAt: conversation.updatedAt }] }),
      renameConversation: async (conversationId: string, title: string) => ({ conversationId, title, createdAt: conversation.createdAt, updatedAt: conversation.updatedAt }),
      listFiles: async () => ({ items: [] }),
      getUsage: () => new Promise(() => undefined), // the month's spending: not this test's business
    }) as unknown as ApiClient;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: ChatView },
      { path: '/c/:id', component: ChatView, props: true },
    ],
  });
  await router.push(path);
  const view = mount({ template: '<RouterView />' }, { global: { plugins: [createAppI18n('en'), router] }, attachTo: document.body });
  await flushPromises();
  return { view, router };
}

describe('ChatView', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('says a conversation could not be loaded, and why, and Reload shows it', async () => {
    const { view } = await mountChat('/c/c1', new ApiError(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable'), conversation);
    const alert = view.get('main [role=alert]');
    expect(alert.text()).toContain('Could not load this conversation');
    expect(alert.text()).toContain('The server had a problem (error 503)');
    expect(view.find('[role=log]').exists()).toBe(false); // not the new-chat screen
    // Nothing can be sent into it meanwhile, and the box says why.
    const box = view.get('textarea');
    expect(box.attributes('disabled')).toBeDefined();
    expect(box.attributes('placeholder')).toContain('reload it to continue');
    // The sidebar knows its title: the tab and the header keep it.
    expect(document.title).toBe('Trip to Lyon – Claude Serverless Chat');
    expect(view.get('h1').text()).toBe('Trip to Lyon');

    await alert.get('button').trigger('click');
    await flushPromises();
    expect(view.find('main [role=alert]').exists()).toBe(false);
    expect(view.get('[role=log]').text()).toContain('The 8:04.');
    expect(view.get('textarea').attributes('disabled')).toBeUndefined();
    expect(document.title).toBe('Trip to Lyon – Claude Serverless Chat');
    view.unmount();
  });

  it('says when the earlier messages could not be read, and its Retry reads them, sending nothing', async () => {
    const older: Conversation = {
      ...conversation,
      messages: [
        { id: 'u0', role: 'user', content: 'Paris or Lyon?', timestamp: '2026-11-02T09:58:00.000Z' },
        { id: 'a0', role: 'assistant', content: 'Lyon, for the food.', timestamp: '2026-11-02T09:59:00.000Z' },
      ],
    };
    const { view } = await mountChat('/c/c1', { ...conversation, omittedMessages: 2 }, new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.'), older);
    await useThreadStore().loadEarlier();
    await flushPromises();
    const banner = view.get('main > [role=alert]');
    expect(banner.text()).toContain('The earlier messages were not loaded: Retry reads them again.');

    await banner.get('button').trigger('click');
    await flushPromises();
    expect(view.find('main > [role=alert]').exists()).toBe(false);
    expect(view.findAll('[role=log] article').map((article) => article.text())).toEqual(['Paris or Lyon?', 'Lyon, for the food.', 'Which train?', 'The 8:04.']);
    view.unmount();
  });

  it('names the tab after the failure when the conversation is not in the sidebar', async () => {
    const { view } = await mountChat('/c/c2', new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.'));
    expect(view.get('main [role=alert]').text()).toContain('The server cannot be reached. Check your connection, then reload.');
    expect(document.title).toBe('Could not load this conversation – Claude Serverless Chat');
    view.unmount();
  });

  it('says a missing conversation does not exist, with a link to a new chat', async () => {
    const { view, router } = await mountChat('/c/gone', new ApiError(404, 'NOT_FOUND', 'Conversation not found'));
    const alert = view.get('main [role=alert]');
    expect(alert.text()).toContain('This conversation does not exist');
    expect(alert.find('button').exists()).toBe(false);
    expect(view.get('textarea').attributes('disabled')).toBeDefined();
    expect(document.title).toBe('Conversation not found – Claude Serverless Chat');
    expect(view.get('h1').text()).toBe('Conversation not found');
    await alert.get('a').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.path).toBe('/');
    expect(view.find('main [role=alert]').exists()).toBe(false);
    expect(view.get('textarea').attributes('disabled')).toBeUndefined();
    expect(document.title).toBe('New chat – Claude Serverless Chat');
    view.unmount();
  });

  it('names the tab after the conversation, and after its new name when renamed', async () => {
    const { view } = await mountChat('/c/c1', conversation);
    expect(document.title).toBe('Trip to Lyon – Claude Serverless Chat');
    await useConversationsStore().rename('c1', 'Lyon, by train');
    await flushPromises();
    expect(document.title).toBe('Lyon, by train – Claude Serverless Chat');
    expect(view.get('h1').text()).toBe('Lyon, by train');
    view.unmount();
  });
});
