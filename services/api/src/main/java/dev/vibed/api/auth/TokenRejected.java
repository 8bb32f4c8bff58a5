package dev.vibed.api.auth;

/**
 * A token failed a check. Carries a reason safe to show the caller (it never repeats the token); each use turns it
 * into its own answer: a 401 for an API call, a 400 for a login callback.
 */
final class TokenRejected extends RuntimeException {
    TokenRejected(String reason) {
        super(reason, null, false, false);
    }
}
