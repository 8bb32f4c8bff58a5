package dev.vibed.standalone.testing;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;

/**
 * An API-key-like auth mode for tests: two bearer tokens, two users. Anything else is a 401, as the real
 * apikey and oidc modes answer.
 */
public final class TwoUsers {
    public static final String ALICE = "alice-token";
    public static final String BOB = "bob-token";

    private TwoUsers() {
    }

    public static CallerResolver resolver() {
        return authorization -> switch (authorization == null ? "" : authorization) {
            case "Bearer " + ALICE -> Caller.user("alice");
            case "Bearer " + BOB -> Caller.user("bob");
            default -> throw new Problem(Problem.Kind.UNAUTHORIZED, "unauthorized",
                    "send Authorization: Bearer <your API key>");
        };
    }
}
