import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppI18n, loadLocale } from './i18n';
import { createAppRouter } from './router';
import { useSessionStore } from './stores/session';
import { useSettingsStore } from './stores/settings';
import './style.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const settings = useSettingsStore();
await loadLocale(settings.locale);
app.use(createAppI18n(settings.locale));
// The session comes first: the router sends signed-out users to sign in.
await useSessionStore().start();
app.use(createAppRouter());
app.mount('#app');
