package dev.vibed.api.auth;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * REST's way in: the {@code Authorization} header, handed to the mode's {@link Authenticator}; without one, the
 * dashboard's session cookie when the login is configured.
 */
public final class HeaderCallerResolver implements CallerResolver {
    private final Authenticator authenticator;
    private final SessionCookie sessions;

    public HeaderCallerResolver(Authenticator authenticator) {
        this(authenticator, null);
    }

    HeaderCallerResolver(Authenticator authenticator, SessionCookie sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    @Override
    public Caller resolve(ServerRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() && sessions != null) {
            Optional<Caller> session = sessions.caller(request);
            if (session.isPresent()) {
                return session.get();
            }
        }
        return authenticator.authenticate(header.orElse(null));
    }
}
