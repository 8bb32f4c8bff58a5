package dev.vibed.api.auth;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The authentication settings both front doors read (standalone flags, cluster flags or env). {@link Auth#create}
 * turns them into an {@link Authenticator}; every check of their consistency happens there, at start-up.
 *
 * @param mode         none, apikey or oidc
 * @param apiKeysFile  apikey mode: a file of {@code KEY USER [ROLE,...]} lines (wins over {@code apiKeys})
 * @param apiKeys      apikey mode: the same lines inline, as env {@code VIBED_API_KEYS} carries them
 * @param oidcIssuer   oidc mode: the issuer URL; its discovery document names the keys and endpoints
 * @param oidcAudience oidc mode: the {@code aud} a token must carry to be accepted here
 * @param clientId     oidc mode: this service's client id at the issuer, for the dashboard's login
 * @param clientSecret oidc mode: its secret (never logged)
 * @param userClaim    oidc mode: the claim naming the user; when a token lacks it, {@code sub} is used
 * @param adminClaim   oidc mode: the claim (a string or a list) that can grant the admin role
 * @param adminValue   oidc mode: the value of {@code adminClaim} that means admin; null: nobody is admin by claim
 * @param resource     oidc mode: this API's public URL as clients see it (RFC 9728 {@code resource}); null: the bind address
 */
public record AuthSettings(AuthMode mode, Path apiKeysFile, String apiKeys, URI oidcIssuer, String oidcAudience,
                           String clientId, String clientSecret, String userClaim, String adminClaim, String adminValue,
                           URI resource) {
    public static final String DEFAULT_USER_CLAIM = "preferred_username";
    public static final String DEFAULT_ADMIN_CLAIM = "groups";

    public AuthSettings {
        Objects.requireNonNull(mode, "mode");
        userClaim = blankToNull(userClaim) == null ? DEFAULT_USER_CLAIM : userClaim;
        adminClaim = blankToNull(adminClaim) == null ? DEFAULT_ADMIN_CLAIM : adminClaim;
        apiKeys = blankToNull(apiKeys);
        oidcAudience = blankToNull(oidcAudience);
        clientId = blankToNull(clientId);
        clientSecret = blankToNull(clientSecret);
        adminValue = blankToNull(adminValue);
    }

    /** The names {@link #from} reads, as flags ({@code --oidc-issuer}) or env ({@code VIBED_OIDC_ISSUER}). */
    public static final Set<String> NAMES = Set.of("auth", "api-keys-file", "api-keys", "oidc-issuer", "oidc-audience",
            "oidc-client-id", "oidc-client-secret", "oidc-user-claim", "oidc-admin-claim", "oidc-admin-value", "oidc-resource");

    /**
     * Reads the settings by name, so the standalone flags and the cluster's flags-or-env mean the same thing.
     * {@code api-keys-file} is a file of key lines, {@code api-keys} the lines themselves.
     */
    public static AuthSettings from(Function<String, Optional<String>> setting) {
        return new AuthSettings(AuthMode.parse(setting.apply("auth").orElse("none")),
                setting.apply("api-keys-file").map(Path::of).orElse(null),
                setting.apply("api-keys").orElse(null),
                setting.apply("oidc-issuer").map(v -> url("oidc-issuer", v)).orElse(null),
                setting.apply("oidc-audience").orElse(null),
                setting.apply("oidc-client-id").orElse(null),
                setting.apply("oidc-client-secret").orElse(null),
                setting.apply("oidc-user-claim").orElse(null),
                setting.apply("oidc-admin-claim").orElse(null),
                setting.apply("oidc-admin-value").orElse(null),
                setting.apply("oidc-resource").map(v -> url("oidc-resource", v)).orElse(null));
    }

    private static URI url(String name, String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getHost() == null || uri.getScheme() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " must be an absolute URL such as https://issuer.example, not '" + value + "'");
        }
    }

    /** The standalone default: no authentication, loopback only. */
    public static AuthSettings none() {
        return new AuthSettings(AuthMode.NONE, null, null, null, null, null, null, null, null, null, null);
    }

    public static AuthSettings apiKeys(Path file) {
        return none().withMode(AuthMode.APIKEY).withApiKeysFile(file);
    }

    public static AuthSettings oidc(URI issuer, String audience) {
        return none().withMode(AuthMode.OIDC).withOidcIssuer(issuer).withOidcAudience(audience);
    }

    public AuthSettings withMode(AuthMode value) {
        return new AuthSettings(value, apiKeysFile, apiKeys, oidcIssuer, oidcAudience, clientId, clientSecret, userClaim,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withApiKeysFile(Path value) {
        return new AuthSettings(mode, value, apiKeys, oidcIssuer, oidcAudience, clientId, clientSecret, userClaim,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withApiKeys(String value) {
        return new AuthSettings(mode, apiKeysFile, value, oidcIssuer, oidcAudience, clientId, clientSecret, userClaim,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withOidcIssuer(URI value) {
        return new AuthSettings(mode, apiKeysFile, apiKeys, value, oidcAudience, clientId, clientSecret, userClaim,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withOidcAudience(String value) {
        return new AuthSettings(mode, apiKeysFile, apiKeys, oidcIssuer, value, clientId, clientSecret, userClaim,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withClient(String id, String secret) {
        return new AuthSettings(mode, apiKeysFile, apiKeys, oidcIssuer, oidcAudience, id, secret, userClaim,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withUserClaim(String value) {
        return new AuthSettings(mode, apiKeysFile, apiKeys, oidcIssuer, oidcAudience, clientId, clientSecret, value,
                adminClaim, adminValue, resource);
    }

    public AuthSettings withAdmin(String claim, String value) {
        return new AuthSettings(mode, apiKeysFile, apiKeys, oidcIssuer, oidcAudience, clientId, clientSecret, userClaim,
                claim, value, resource);
    }

    public AuthSettings withResource(URI value) {
        return new AuthSettings(mode, apiKeysFile, apiKeys, oidcIssuer, oidcAudience, clientId, clientSecret, userClaim,
                adminClaim, adminValue, value);
    }

    /** Secrets stay out of logs and error messages that print the settings. */
    @Override
    public String toString() {
        return "AuthSettings[mode=" + mode.wire() + ", apiKeysFile=" + apiKeysFile + ", apiKeys=" + (apiKeys == null ? "-" : "(set)")
                + ", oidcIssuer=" + oidcIssuer + ", oidcAudience=" + oidcAudience + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "-" : "(set)") + ", userClaim=" + userClaim
                + ", adminClaim=" + adminClaim + ", adminValue=" + adminValue + ", resource=" + resource + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
