export interface IdGenerator {
  /** A new unique id, safe in URLs and storage keys. */
  newId(): string;
}
