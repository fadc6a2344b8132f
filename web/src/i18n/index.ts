import { createI18n } from 'vue-i18n';
import en from './en.json';

export type Locale = 'en' | 'fr';
export const LOCALES: Locale[] = ['en', 'fr'];
const STORAGE_KEY = 'chat.locale';

/** The remembered choice, else the browser's language when we speak it, else English. */
export function initialLocale(storage: Pick<Storage, 'getItem'> = localStorage, languages: readonly string[] = navigator.languages): Locale {
  const saved = storage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

export function rememberLocale(locale: Locale, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export type Messages = typeof en;

/**
 * English, the fallback, ships with the first page; French is fetched the first time it is
 * chosen (or remembered): the first page weighs one language's words, not both (bench/README.md, web).
 */
const loaded: Partial<Record<Locale, Messages>> = { en };

export async function loadLocale(locale: Locale): Promise<Messages> {
  loaded[locale] ??= (await import('./fr.json')).default;
  return loaded[locale];
}

/** With every language loaded so far: load the user's (`loadLocale`) first. */
export function createAppI18n(locale: Locale = initialLocale()) {
  return createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { ...loaded } });
}
