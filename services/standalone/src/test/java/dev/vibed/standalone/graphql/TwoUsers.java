package dev.vibed.standalone.graphql;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;

/** A resolver of the test's own: three bearer tokens, for two users and an admin; anything else is a 401. */
final class TwoUsers {
    static final String ALICE = "alice-token";
    static final String BOB = "bob-token";
    static final String ROOT = "root-token";

    private TwoUsers() {
    }

    static CallerResolver resolver() {
        return authorization -> switch (authorization == null ? "" : authorization) {
            case "Bearer " + ALICE -> Caller.user("alice");
            case "Bearer " + BOB -> Caller.user("bob");
            case "Bearer " + ROOT -> Caller.admin("root");
            default -> throw new Problem(Problem.Kind.UNAUTHORIZED, "unauthorized", "give a valid bearer token");
        };
    }
}
