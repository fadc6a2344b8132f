import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { TokenUsage } from '../../domain/conversation.js';

/** The CloudWatch namespace of the app's metrics; the stack's alarms read the same one. */
export const METRICS_NAMESPACE = 'ClaudeServerlessChat';
/** Powertools adds it to every metric as the `service` dimension: alarms must name it too. */
export const SERVICE_NAME = 'claude-serverless-chat';

export interface ChatOutcome {
  usage?: TokenUsage;
  /** From the model call to its first text. */
  firstTokenMs?: number;
  /** From the request to the end of the answer. */
  totalMs: number;
  /** Set when the answer failed. */
  errorCode?: string;
}

/** What the chat handlers record of each answer. */
export interface ChatMetrics {
  record(outcome: ChatOutcome): void;
}

/**
 * Tokens in and out, model latency and errors of one chat, as CloudWatch metrics in the Embedded
 * Metric Format: one log line per answer, no API call, nothing to wait for.
 */
export class EmfChatMetrics implements ChatMetrics {
  constructor(private readonly metrics: Metrics) {}

  record(outcome: ChatOutcome): void {
    const { metrics } = this;
    if (outcome.usage) {
      metrics.addMetric('InputTokens', MetricUnit.Count, outcome.usage.inputTokens);
      metrics.addMetric('OutputTokens', MetricUnit.Count, outcome.usage.outputTokens);
      if (outcome.usage.cacheReadTokens) metrics.addMetric('CacheReadTokens', MetricUnit.Count, outcome.usage.cacheReadTokens);
      if (outcome.usage.cacheWriteTokens) metrics.addMetric('CacheWriteTokens', MetricUnit.Count, outcome.usage.cacheWriteTokens);
    }
    if (outcome.firstTokenMs !== undefined) metrics.addMetric('ModelFirstTokenLatency', MetricUnit.Milliseconds, outcome.firstTokenMs);
    metrics.addMetric('ChatLatency', MetricUnit.Milliseconds, outcome.totalMs);
    metrics.addMetric(outcome.errorCode ? 'ChatErrors' : 'ChatAnswers', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  }
}

/**
 * The metrics of a process that publishes none (`POWERTOOLS_METRICS_DISABLED=true`, as `npm start`
 * sets): Powertools would drop them too, but only after a dozen environment lookups per answer.
 */
export const NO_CHAT_METRICS: ChatMetrics = { record: () => undefined };

/** Powertools' own switch, read once at start-up rather than on every metric. */
export function chatMetrics(env: Record<string, string | undefined>, create: () => Metrics): ChatMetrics {
  const disabled = (env.POWERTOOLS_METRICS_DISABLED ?? env.POWERTOOLS_DEV ?? '').trim().toLowerCase();
  return ['true', '1', 'yes', 'on'].includes(disabled) ? NO_CHAT_METRICS : new EmfChatMetrics(create());
}
