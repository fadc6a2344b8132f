import { useI18n } from 'vue-i18n';
import { errorMessage, loadFailureReason, type ErrorContext, type ErrorLike } from '../lib/errors';
import { regionalLocale } from '../lib/format';
import { useUsageStore } from '../stores/usage';

function useErrorContext(): () => ErrorContext {
  const { t, locale } = useI18n();
  const usage = useUsageStore();
  return () => ({ t, locale: regionalLocale(locale.value), resetsAt: usage.summary?.resetsAt });
}

/** Turns an API error into the words the user reads, in their language (see lib/errors). */
export function useErrorText(): (error: ErrorLike) => string {
  const context = useErrorContext();
  return (error) => errorMessage(error, context());
}

/** Why a conversation could not be read, in the user's language (see lib/errors). */
export function useLoadFailureText(): (error: ErrorLike & { status: number }) => string {
  const context = useErrorContext();
  return (error) => loadFailureReason(error, context());
}
