package dev.vibed.api.http;

import dev.vibed.core.access.Caller;
import io.helidon.webserver.http.ServerRequest;

/**
 * Finds who is calling. Auth modes plug in here (none, API key, OIDC); handlers only pass the result on to the
 * application services, which do every ownership check.
 */
@FunctionalInterface
public interface CallerResolver {

    /** @throws dev.vibed.core.problem.Problem 401 when the request carries no acceptable credentials */
    Caller resolve(ServerRequest request);

    /** Auth mode {@code none}: a single local user who owns everything (loopback binds only). */
    static CallerResolver none() {
        return request -> Caller.LOCAL;
    }
}
