package dev.vibed.api.auth;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Values vibeD hands a browser in cookies (the login in progress, the session) as HS256-signed JWTs, so no server
 * keeps session state and any API replica can read them. The key comes from the client secret, which every replica
 * already shares; a public client without one gets a random key, and sessions then end with the process.
 */
final class SignedCookies {
    private static final String ISSUER = "vibed";
    private static final String KEY_ID = "vibed-cookies";

    private final JwkOctet key;
    private final JwkKeys keys;
    private final Clock clock;

    SignedCookies(byte[] secret, Clock clock) {
        this.key = JwkOctet.create(Json.createObjectBuilder().add("kty", "oct").add("kid", KEY_ID)
                .add("alg", JwkOctet.ALG_HS256).add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret)).build());
        this.keys = JwkKeys.builder().addKey(key).build();
        this.clock = clock;
    }

    /** A key derived from the client secret (never the secret itself), or a random one without it. */
    static SignedCookies forClient(String clientSecret, Clock clock) {
        if (clientSecret == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new SignedCookies(random, clock);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new SignedCookies(mac.doFinal("vibed cookie signing key v1".getBytes(StandardCharsets.UTF_8)), clock);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param purpose what the value is for; a value made for one purpose is never accepted for another */
    String sign(String purpose, Duration ttl, Map<String, String> claims) {
        Jwt.Builder jwt = Jwt.builder().algorithm(JwkOctet.ALG_HS256).keyId(KEY_ID).issuer(ISSUER).addAudience(purpose)
                .issueTime(clock.instant()).expirationTime(clock.instant().plus(ttl));
        claims.forEach(jwt::addPayloadClaim);
        return SignedJwt.sign(jwt.build(), key).tokenContent();
    }

    Optional<Jwt> read(String purpose, String value) {
        if (value == null || value.isEmpty() || value.length() > IssuerTokens.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJwt signed = SignedJwt.parseToken(value);
            Jwt jwt = signed.getJwt();
            if (!JwkOctet.ALG_HS256.equals(jwt.algorithm().orElse(null)) || !signed.verifySignature(keys, null).isValid()) {
                return Optional.empty();
            }
            JwtValidator checks = JwtValidator.builder().addIssuerValidator(ISSUER, true)
                    .addAudienceValidator(a -> a.addExpectedAudience(purpose).mandatory(true))
                    .addExpirationValidator(e -> e.mandatory(true).now(clock.instant())).build();
            return checks.validate(jwt).isValid() ? Optional.of(jwt) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
