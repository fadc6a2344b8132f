import { watch } from 'vue';
import { createRouter, createWebHistory, type RouteLocationRaw, type Router } from 'vue-router';
import { useSessionStore } from '../stores/session';
import ChatView from '../views/ChatView.vue';
// In the first bundle too: loaded on demand it cost a signed-out visitor one more round trip
// (after the scripts ran) for a few KB (figures in bench/README.md, web).
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
    if (session.status === 'signedOut' && to.name !== 'sign-in') return signInThenBackTo(to.fullPath);
    if (session.status === 'signedIn' && to.name === 'sign-in') return { name: 'new-chat' };
    return true;
  });
  // The API refused the session (an expired or revoked token): to the sign-in screen, which says
  // so, and back here once signed in again, rather than a Retry that cannot succeed.
  watch(
    () => useSessionStore().ended,
    (ended) => {
      const here = router.currentRoute.value;
      if (ended && here.name !== 'sign-in') void router.replace(signInThenBackTo(here.fullPath));
    },
  );
  return router;
}

function signInThenBackTo(path: string): RouteLocationRaw {
  return { name: 'sign-in', query: path === '/' ? {} : { next: path } };
}
