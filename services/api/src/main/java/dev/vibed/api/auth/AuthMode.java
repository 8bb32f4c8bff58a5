package dev.vibed.api.auth;

import java.util.Locale;

/**
 * How callers prove who they are. One setting, the same in the standalone and the cluster API, so a deployment can
 * move between them without learning a second scheme.
 */
public enum AuthMode {
    /** Everyone is the local admin; only safe on loopback, so vibeD refuses any other bind in this mode. */
    NONE,
    /** Static keys from a file or env, sent as {@code Authorization: Bearer <key>}. */
    APIKEY,
    /** Bearer JWTs from an OpenID Connect issuer, checked against its published keys. */
    OIDC;

    public static AuthMode parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("--auth needs a value: none, apikey or oidc");
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "apikey", "api-key" -> APIKEY;
            case "oidc" -> OIDC;
            default -> throw new IllegalArgumentException("--auth must be none, apikey or oidc, not '" + value + "'");
        };
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
