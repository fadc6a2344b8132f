import { watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';

/** The browser tab's words: what is on screen first (a conversation's title), then the app's name. */
export function pageTitle(part: string | undefined, appName: string): string {
  const shown = part?.trim();
  return shown ? `${shown} – ${appName}` : appName;
}

/** Keeps `document.title` on what the screen shows, in the user's language, as it changes. */
export function useDocumentTitle(part: () => string | undefined): void {
  const { t } = useI18n();
  watchEffect(() => {
    document.title = pageTitle(part(), t('app.name'));
  });
}
