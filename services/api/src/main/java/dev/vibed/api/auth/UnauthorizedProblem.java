package dev.vibed.api.auth;

import dev.vibed.core.problem.Problem;

/**
 * A 401 that knows its {@code WWW-Authenticate} challenge. Each front end renders it as its usual problem and adds
 * the challenge where its protocol has a place for it (the REST error handler sets the header), so clients such as
 * MCP's learn where to get a token (RFC 6750, RFC 9728).
 */
public final class UnauthorizedProblem extends Problem {
    public static final String CODE = "unauthorized";

    private final String challenge;

    public UnauthorizedProblem(String message, String challenge) {
        super(Kind.UNAUTHORIZED, CODE, message);
        this.challenge = challenge;
    }

    /** The value of the {@code WWW-Authenticate} header, e.g. {@code Bearer realm="vibed", error="invalid_token"}. */
    public String challenge() {
        return challenge;
    }
}
