package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;
import io.helidon.security.jwt.Jwt;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;
import java.util.Set;

/**
 * Which claims of a verified token name the user and grant the admin role. Issuers differ (Keycloak, Entra,
 * Dex...), so both are settings; the API and the dashboard login read them the same way.
 *
 * @param userClaim  the user's name; {@code sub} when the token lacks it
 * @param adminClaim a string or list claim
 * @param adminValue the value in {@code adminClaim} that means admin; null: no token is admin
 */
record ClaimMapping(String userClaim, String adminClaim, String adminValue) {

    static ClaimMapping of(AuthSettings settings) {
        return new ClaimMapping(settings.userClaim(), settings.adminClaim(), settings.adminValue());
    }

    Caller caller(Jwt jwt) {
        String subject = text(jwt.payloadClaim(userClaim)).or(jwt::subject).filter(s -> !s.isBlank())
                .orElseThrow(() -> new TokenRejected("the token names no user (neither '" + userClaim + "' nor 'sub')"));
        boolean admin = adminValue != null && jwt.payloadClaim(adminClaim).map(this::grantsAdmin).orElse(false);
        return new Caller(subject, admin ? Set.of(Caller.ADMIN_ROLE) : Set.of());
    }

    private boolean grantsAdmin(JsonValue claim) {
        if (claim instanceof JsonString s) {
            return s.getString().equals(adminValue);
        }
        if (claim instanceof JsonArray a) {
            return a.stream().anyMatch(v -> v instanceof JsonString s && s.getString().equals(adminValue));
        }
        return false;
    }

    private static Optional<String> text(Optional<JsonValue> claim) {
        return claim.filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString());
    }
}
