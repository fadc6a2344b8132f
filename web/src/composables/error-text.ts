import { useI18n } from 'vue-i18n';
import { errorMessage, type ErrorLike } from '../lib/errors';
import { regionalLocale } from '../lib/format';
import { useUsageStore } from '../stores/usage';

/** Turns an API error into the words the user reads, in their language (see lib/errors). */
export function useErrorText(): (error: ErrorLike) => string {
  const { t, locale } = useI18n();
  const usage = useUsageStore();
  return (error) => errorMessage(error, { t, locale: regionalLocale(locale.value), resetsAt: usage.summary?.resetsAt });
}
