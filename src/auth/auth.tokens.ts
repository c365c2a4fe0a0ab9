/** Injection token of the {@link AccessTokens} signer/verifier. */
export const ACCESS_TOKENS = Symbol('ACCESS_TOKENS');
