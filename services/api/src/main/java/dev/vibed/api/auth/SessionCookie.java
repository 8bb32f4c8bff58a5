package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.SetCookie;
import io.helidon.security.jwt.Jwt;
import jakarta.json.JsonString;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dashboard's session after an OIDC login: an HttpOnly, SameSite=Lax cookie naming the caller, signed by vibeD.
 * Deployed apps may share the API's site (their hosts are subdomains), so SameSite alone does not stop an app's page
 * from posting to the API with the user's cookie: a change made with the cookie must come from the API's own origin.
 */
final class SessionCookie {
    static final String NAME = "vibed_session";
    static final String PURPOSE = "session";
    static final Duration TTL = Duration.ofHours(8);

    private final SignedCookies cookies;
    private final String origin;
    private final boolean secure;

    /** @param resource the API's public URL: its origin is the one allowed to make changes with the cookie */
    SessionCookie(SignedCookies cookies, URI resource) {
        this.cookies = cookies;
        this.origin = resource.getScheme() + "://" + resource.getRawAuthority();
        this.secure = "https".equalsIgnoreCase(resource.getScheme());
    }

    SetCookie issue(Caller caller) {
        String value = cookies.sign(PURPOSE, TTL, Map.of("sub", caller.subject(), "roles", String.join(",", caller.roles())));
        return SetCookie.builder(NAME, value).path("/").httpOnly(true).secure(secure).sameSite(SetCookie.SameSite.LAX)
                .maxAge(TTL).build();
    }

    SetCookie clear() {
        // Helidon leaves out Max-Age=0; an Expires in the past is what makes browsers drop the cookie.
        return SetCookie.builder(NAME, "").path("/").httpOnly(true).secure(secure).sameSite(SetCookie.SameSite.LAX)
                .expires(Instant.EPOCH).build();
    }

    /**
     * The caller a valid session cookie names; empty when there is none (or it expired, or was forged).
     *
     * @param acts whether the request can change something (then it must come from the API's own origin)
     */
    Optional<Caller> caller(ServerRequestHeaders headers, boolean acts) {
        Optional<String> value = headers.cookies().first(NAME).asOptional();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Optional<Jwt> session = cookies.read(PURPOSE, value.get());
        if (session.isEmpty()) {
            return Optional.empty();
        }
        if (acts && !sameOrigin(headers)) {
            throw new Problem(Problem.Kind.FORBIDDEN, "cross_origin",
                    "a change made with the session cookie must come from " + origin + " (its Origin header says otherwise)");
        }
        Jwt jwt = session.get();
        String roles = jwt.payloadClaim("roles").filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString()).orElse("");
        return jwt.subject().map(sub -> new Caller(sub, Arrays.stream(roles.split(",")).filter(r -> !r.isEmpty())
                .collect(Collectors.toSet())));
    }

    private boolean sameOrigin(ServerRequestHeaders headers) {
        Optional<String> from = headers.first(HeaderNames.ORIGIN);
        if (from.isEmpty()) {
            return false;
        }
        if (from.get().equals(origin)) {
            return true;
        }
        // The browser may name the API by another host (localhost or 127.0.0.1): same origin when it matches Host.
        Optional<String> host = headers.first(HeaderNames.HOST);
        return host.isPresent() && (from.get().equals("http://" + host.get()) || from.get().equals("https://" + host.get()));
    }
}
