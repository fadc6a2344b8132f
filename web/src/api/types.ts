/**
 * The HTTP contract as the browser sees it: the server's own types (src/contract), imported as
 * types only, so that no schema code reaches the bundle. A change to the API changes them here.
 */
export type {
  AuthConfig,
  ChatAnswer,
  ChatEvent,
  ChatRequest,
  ContextReport,
  Conversation,
  ConversationSummary,
  ErrorBody,
  FileContext,
  FileRules,
  FileType,
  LimitChange,
  LocalToken,
  Message,
  ModelInfo,
  MonthReport,
  Page,
  SiteConfig,
  StopReason,
  TokenUsage,
  UploadSlot,
  UsageSummary,
  UserUsage,
} from '../../../src/contract/index.js';
