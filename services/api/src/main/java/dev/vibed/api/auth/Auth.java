package dev.vibed.api.auth;

import dev.vibed.api.http.CallerResolver;
import io.helidon.webserver.http.HttpRouting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The auth mode, assembled from {@link AuthSettings}: the {@link Authenticator} every front end asks, the REST
 * {@link CallerResolver} over it, and the routes the mode serves. Both the standalone and the cluster API build it
 * here, so the two cannot drift apart. Every setting is checked now: a bad one stops start-up with a clear message.
 */
public final class Auth {
    private static final Logger LOG = Logger.getLogger(Auth.class.getName());
    /** The env variable that may carry the API key lines instead of a file. */
    public static final String API_KEYS_ENV = "VIBED_API_KEYS";

    private final AuthMode mode;
    private final Authenticator authenticator;
    private final ProtectedResource resource;
    private final SessionCookie sessions;
    private final LoginFlow login;

    private Auth(AuthMode mode, Authenticator authenticator, ProtectedResource resource, SessionCookie sessions, LoginFlow login) {
        this.mode = mode;
        this.authenticator = authenticator;
        this.resource = resource;
        this.sessions = sessions;
        this.login = login;
    }

    /**
     * @param settings     the mode and its settings
     * @param listenerBase where this API listens, used as the protected resource's URL when none is configured
     * @throws IllegalArgumentException when the settings are incomplete or wrong, the key file is malformed, or the
     *                                  issuer cannot be discovered
     */
    public static Auth create(AuthSettings settings, URI listenerBase) {
        return switch (settings.mode()) {
            case NONE -> {
                // Keys or an issuer without a mode would leave the API open while its owner believes it is closed.
                if (settings.apiKeysFile() != null || settings.oidcIssuer() != null) {
                    throw new IllegalArgumentException("auth mode is none, yet " + (settings.apiKeysFile() != null
                            ? "an api keys file" : "an OIDC issuer") + " is set: add --auth "
                            + (settings.apiKeysFile() != null ? "apikey" : "oidc") + " to use it");
                }
                yield new Auth(AuthMode.NONE, Authenticator.none(), null, null, null);
            }
            case APIKEY -> new Auth(AuthMode.APIKEY, new ApiKeyAuthenticator(apiKeys(settings)), null, null, null);
            case OIDC -> oidc(settings, settings.resource() == null ? listenerBase : settings.resource());
        };
    }

    private static ApiKeys apiKeys(AuthSettings settings) {
        ApiKeys keys;
        if (settings.apiKeysFile() != null) {
            String text;
            try {
                text = Files.readString(settings.apiKeysFile());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the api keys file " + settings.apiKeysFile() + ": " + e);
            }
            keys = ApiKeys.parse(text, "file " + settings.apiKeysFile());
        } else if (settings.apiKeys() != null) {
            keys = ApiKeys.parse(settings.apiKeys(), "env " + API_KEYS_ENV);
        } else {
            throw new IllegalArgumentException("auth mode apikey needs keys: --api-keys FILE or env " + API_KEYS_ENV
                    + " (lines of 'KEY USER [ROLE,...]')");
        }
        LOG.info("auth: apikey mode with " + keys.size() + " key(s)");
        return keys;
    }

    private static Auth oidc(AuthSettings settings, URI resourceUrl) {
        if (settings.oidcIssuer() == null) {
            throw new IllegalArgumentException("auth mode oidc needs --oidc-issuer URL");
        }
        if (settings.oidcAudience() == null) {
            throw new IllegalArgumentException("auth mode oidc needs --oidc-audience: the 'aud' tokens for this API carry");
        }
        if (resourceUrl == null || resourceUrl.getHost() == null) {
            throw new IllegalArgumentException("auth mode oidc needs this API's public URL (--oidc-resource URL)");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        IssuerMetadata issuer = IssuerMetadata.discover(settings.oidcIssuer(), http);
        IssuerKeys keys = new IssuerKeys(issuer.jwksUri(), http, Clock.systemUTC());
        ProtectedResource resource = new ProtectedResource(resourceUrl, issuer.issuer());
        BearerChallenge challenge = new BearerChallenge(resource.metadataUrl());
        if (settings.adminValue() == null) {
            LOG.info("auth: oidc mode without --oidc-admin-value: no token grants the admin role");
        }
        LOG.info("auth: oidc mode, issuer " + issuer.issuer() + ", audience " + settings.oidcAudience()
                + ", user claim " + settings.userClaim());
        IssuerTokens tokens = new IssuerTokens(keys);
        ClaimMapping claims = ClaimMapping.of(settings);
        OidcAuthenticator bearer = new OidcAuthenticator(tokens, issuer.issuer(), settings.oidcAudience(), claims, challenge);
        if (settings.clientId() == null) {
            return new Auth(AuthMode.OIDC, bearer, resource, null, null);
        }
        if (settings.clientSecret() == null) {
            LOG.warning("auth: no --oidc-client-secret: the dashboard logs in as a public client, and its sessions "
                    + "end when this process does (they are signed with a key made at start)");
        }
        SignedCookies cookies = SignedCookies.forClient(settings.clientSecret(), Clock.systemUTC());
        SessionCookie sessions = new SessionCookie(cookies, resourceUrl);
        LoginFlow login = new LoginFlow(issuer, tokens, claims, cookies, sessions, settings.clientId(),
                settings.clientSecret(), resourceUrl, http);
        return new Auth(AuthMode.OIDC, bearer, resource, sessions, login);
    }

    public AuthMode mode() {
        return mode;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** REST's {@link CallerResolver}; it also resolves WebSocket upgrades ({@link RequestCallers#resolveUpgrade}). */
    public RequestCallers callers() {
        return new RequestCallers(authenticator, sessions);
    }

    public Optional<ProtectedResource> protectedResource() {
        return Optional.ofNullable(resource);
    }

    /** Adds the mode's own routes: in oidc mode the RFC 9728 metadata document, and the login when a client is set. */
    public void routing(HttpRouting.Builder routing) {
        if (resource != null) {
            routing.register("/", new AuthHttpService(resource));
        }
        if (login != null) {
            routing.register("/", login);
        }
    }
}
