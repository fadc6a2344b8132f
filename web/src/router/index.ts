import { createRouter, createWebHistory, type Router } from 'vue-router';
import { useSessionStore } from '../stores/session';
import ChatView from '../views/ChatView.vue';
// In the first bundle too: loaded on demand it cost a signed-out visitor one more round trip
// (after the scripts ran) for 2 KB (bench: web, interactive at 40 ms a request).
import SignInView from '../views/SignInView.vue';

/**
 * The SPA's routes stay clear of the API's (/chat, /conversations, /files, /health): a new chat is
 * `/`, a conversation `/c/:id`, sign-in `/sign-in`, the admins' usage page `/admin` (the API's
 * admin routes are below it: `/admin/usage`, `/admin/users/...`).
 */
export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', name: 'new-chat', component: ChatView },
      { path: '/c/:id', name: 'conversation', component: ChatView, props: true },
      { path: '/sign-in', name: 'sign-in', component: SignInView },
      // Admins only, and rarely: its own chunk, loaded when opened, so the first load stays small.
      { path: '/admin', name: 'admin', component: () => import('../views/AdminView.vue') },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach((to) => {
    const session = useSessionStore();
    if (session.status === 'signedOut' && to.name !== 'sign-in') return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    if (session.status === 'signedIn' && to.name === 'sign-in') return { name: 'new-chat' };
    return true;
  });
  return router;
}
