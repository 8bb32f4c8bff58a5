package dev.vibed.api.auth;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** REST's way in: the {@code Authorization} header of the request, handed to the mode's {@link Authenticator}. */
public final class HeaderCallerResolver implements CallerResolver {
    private final Authenticator authenticator;

    public HeaderCallerResolver(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Caller resolve(ServerRequest request) {
        return authenticator.authenticate(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    }
}
