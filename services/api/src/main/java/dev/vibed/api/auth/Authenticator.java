package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;

/**
 * Turns the credentials a request carries into a {@link Caller}. It takes the header value, not a Helidon request,
 * so REST, GraphQL over WebSocket and MCP can all ask the same question with whatever token they received.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param authorizationHeader the {@code Authorization} header value (e.g. {@code Bearer abc}), or null when absent
     * @return who is calling
     * @throws UnauthorizedProblem (a {@link dev.vibed.core.problem.Problem} of kind UNAUTHORIZED, code
     *                             {@code unauthorized}) when the credentials are missing or not acceptable
     */
    Caller authenticate(String authorizationHeader);

    /** Auth mode none: everyone is the local admin, whatever they send. */
    static Authenticator none() {
        return header -> Caller.LOCAL;
    }
}
