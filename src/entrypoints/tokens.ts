/** Service identifiers of the container: one per port and per service. */
export const TOKENS = {
  Config: Symbol('Config'),
  Logger: Symbol('Logger'),
  Clock: Symbol('Clock'),
  Ids: Symbol('IdGenerator'),
  ConversationStore: Symbol('ConversationStore'),
  FileCatalog: Symbol('FileCatalog'),
  BlobStore: Symbol('BlobStore'),
  TextExtractor: Symbol('TextExtractor'),
  ChatModel: Symbol('ChatModel'),
  TokenVerifier: Symbol('TokenVerifier'),
  LocalTokenIssuer: Symbol('LocalTokenIssuer'),
  LocalUploads: Symbol('LocalUploads'),
  ConversationService: Symbol('ConversationService'),
  FileService: Symbol('FileService'),
  ChatService: Symbol('ChatService'),
} as const;
