package dev.vibed.standalone.testing;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;

import java.util.Map;

/**
 * Fixed bearer tokens for two users and an admin, so ownership tests need no identity provider. The real auth
 * modes (API keys, OIDC) sit behind the same {@link CallerResolver} and have their own tests.
 */
public final class TestCallers {
    public static final String ALICE = "alice-token";
    public static final String BOB = "bob-token";
    public static final String ADMIN = "admin-token";

    private static final Map<String, Caller> BY_TOKEN = Map.of(
            ALICE, Caller.user("alice"), BOB, Caller.user("bob"), ADMIN, Caller.admin("root"));

    private TestCallers() {
    }

    public static CallerResolver resolver() {
        return authorization -> {
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                throw new Problem(Problem.Kind.UNAUTHORIZED, "unauthorized", "send Authorization: Bearer <token>");
            }
            Caller caller = BY_TOKEN.get(authorization.substring(7));
            if (caller == null) {
                throw new Problem(Problem.Kind.UNAUTHORIZED, "unauthorized", "unknown token");
            }
            return caller;
        };
    }
}
