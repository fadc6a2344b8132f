/**
 * Service identifiers of the container: one per port and per service that more than one module
 * binds or uses. An SDK client that only its own module uses has its identifier there.
 */
export const TOKENS = {
  Config: Symbol('Config'),
  Logger: Symbol('Logger'),
  Metrics: Symbol('Metrics'),
  Clock: Symbol('Clock'),
  Ids: Symbol('IdGenerator'),
  ConversationStore: Symbol('ConversationStore'),
  RequestClaims: Symbol('RequestClaims'),
  /** The events of answers as they were streamed, for resumes and for a Stop from another instance. */
  AnswerStreams: Symbol('AnswerStreams'),
  /** The answers this process is writing, so that a Stop that reaches it takes effect at once. */
  LiveAnswers: Symbol('LiveAnswers'),
  FileCatalog: Symbol('FileCatalog'),
  BlobStore: Symbol('BlobStore'),
  UsageLedger: Symbol('UsageLedger'),
  RateCounter: Symbol('RateCounter'),
  TextExtractor: Symbol('TextExtractor'),
  TextCache: Symbol('TextCache'),
  ChatModel: Symbol('ChatModel'),
  /** The small model that names new conversations; unbound: titles are the question's first words. */
  TitleModel: Symbol('TitleModel'),
  TokenVerifier: Symbol('TokenVerifier'),
  /** Bound by each family that has slow work to do in a Lambda's init phase (lambda/warm-up.ts); any number. */
  WarmUp: Symbol('WarmUp'),
  /** Local sign-in only: signs the tokens of `POST /local-auth/token`. */
  LocalTokenIssuer: Symbol('LocalTokenIssuer'),
  /** `STORE=memory` only: the blob store that takes the PUTs of imitated presigned uploads. */
  LocalUploads: Symbol('LocalUploads'),
  ConversationService: Symbol('ConversationService'),
  FileService: Symbol('FileService'),
  ChatService: Symbol('ChatService'),
  UsageService: Symbol('UsageService'),
} as const;
