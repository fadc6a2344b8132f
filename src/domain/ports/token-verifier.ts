/** Who is calling, as proven by their ID token. */
export interface UserIdentity {
  /** Stable id (the token's `sub`): every stored item is keyed by it. */
  userId: string;
  username: string;
  email?: string;
  /** The user's groups (Cognito's `cognito:groups`); `admins` may see and limit everyone's usage. */
  groups: string[];
}

/** Checks an ID token; anything wrong with it throws DomainError `unauthenticated`. */
export interface TokenVerifier {
  verify(token: string): Promise<UserIdentity>;
}
