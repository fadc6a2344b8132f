import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { initialLocale, rememberLocale, type Locale } from '../i18n';

export type Theme = 'system' | 'light' | 'dark';
const THEME_KEY = 'chat.theme';

/** Language and theme: the browser's by default, the user's choice remembered. */
export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(initialLocale());
  const theme = ref<Theme>(readTheme());
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

  function applyTheme(): void {
    const dark = theme.value === 'dark' || (theme.value === 'system' && (media?.matches ?? false));
    document.documentElement.classList.toggle('dark', dark);
  }

  media?.addEventListener('change', applyTheme);
  watch(theme, (value) => {
    localStorage.setItem(THEME_KEY, value);
    applyTheme();
  });
  watch(locale, (value) => rememberLocale(value));
  applyTheme();
  document.documentElement.lang = locale.value;

  return { locale, theme };
});

function readTheme(): Theme {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}
