package dev.vibed.api.auth;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;
import java.util.Set;

/**
 * Finds the caller of an HTTP request or WebSocket upgrade: the {@code Authorization} header, handed to the mode's
 * {@link Authenticator}; without one, the dashboard's session cookie when the login is configured.
 */
public final class RequestCallers implements CallerResolver {
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);

    private final Authenticator authenticator;
    private final SessionCookie sessions;

    public RequestCallers(Authenticator authenticator) {
        this(authenticator, null);
    }

    RequestCallers(Authenticator authenticator, SessionCookie sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    /** A bare credential (MCP, GraphQL's {@code connection_init} payload): no session cookie applies. */
    @Override
    public Caller fromAuthorization(String authorization) {
        return authenticator.authenticate(authorization);
    }

    @Override
    public Caller resolve(ServerRequest request) {
        return resolve(request.headers(), !SAFE.contains(request.prologue().method()));
    }

    /**
     * For a WebSocket upgrade (GraphQL subscriptions, the dashboard's live view). The upgrade is a GET, but the
     * socket can act, so a session cookie counts only when the page comes from the API's own origin.
     */
    public Caller resolveUpgrade(Headers headers) {
        return resolve(ServerRequestHeaders.create(headers), true);
    }

    private Caller resolve(ServerRequestHeaders headers, boolean acts) {
        Optional<String> header = headers.first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() && sessions != null) {
            Optional<Caller> session = sessions.caller(headers, acts);
            if (session.isPresent()) {
                return session.get();
            }
        }
        return authenticator.authenticate(header.orElse(null));
    }
}
