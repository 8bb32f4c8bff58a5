package dev.vibed.api.http;

import dev.vibed.core.access.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Finds who is calling. Auth modes plug in here (none, API key, OIDC); handlers only pass the result on to the
 * application layer, which does every ownership check. Every front end uses the same resolver: REST and MCP from
 * the request's {@code Authorization} header, GraphQL over WebSocket from the upgrade request or the
 * {@code connection_init} payload, so one credential means the same caller everywhere.
 */
@FunctionalInterface
public interface CallerResolver {

    /**
     * @param authorization the {@code Authorization} header value ({@code Bearer <token>}), or null when absent
     * @throws dev.vibed.core.problem.Problem 401 when the credentials are missing or not acceptable
     */
    Caller fromAuthorization(String authorization);

    /** @throws dev.vibed.core.problem.Problem 401 when the request carries no acceptable credentials */
    default Caller resolve(ServerRequest request) {
        return fromAuthorization(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    }

    /** Auth mode {@code none}: a single local user who owns everything (loopback binds only). */
    static CallerResolver none() {
        return authorization -> Caller.LOCAL;
    }
}
