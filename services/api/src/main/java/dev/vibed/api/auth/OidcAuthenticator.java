package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;
import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Auth mode oidc: a bearer JWT is accepted when the issuer's key signed it and it names our issuer and audience
 * and has not expired. Helidon security's JWT classes do the parsing, signature and claim checks; this class only
 * says which checks apply and how a token's claims become a {@link Caller}.
 */
public final class OidcAuthenticator implements Authenticator {
    /** Above this a header is not a token we issued ourselves a chance to parse. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final IssuerKeys keys;
    private final JwtValidator validator;
    private final BearerChallenge challenge;
    private final String userClaim;
    private final String adminClaim;
    private final String adminValue;

    OidcAuthenticator(IssuerMetadata issuer, IssuerKeys keys, AuthSettings settings, BearerChallenge challenge) {
        this.keys = keys;
        this.challenge = challenge;
        this.userClaim = settings.userClaim();
        this.adminClaim = settings.adminClaim();
        this.adminValue = settings.adminValue();
        this.validator = JwtValidator.builder()
                .addIssuerValidator(issuer.issuer(), true)
                .addAudienceValidator(a -> a.addExpectedAudience(settings.oidcAudience()).mandatory(true))
                .addExpirationValidator(e -> e.mandatory(true))
                .addNotBeforeValidator()
                .build();
    }

    @Override
    public Caller authenticate(String authorizationHeader) {
        String token = challenge.bearerToken(authorizationHeader);
        if (token == null) {
            throw challenge.missing();
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw challenge.invalid("the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        SignedJwt signed;
        Jwt jwt;
        try {
            signed = SignedJwt.parseToken(token);
            jwt = signed.getJwt();
        } catch (RuntimeException e) {
            // The parser's message repeats the token: never pass it on.
            throw challenge.invalid("not a signed JWT");
        }
        String alg = jwt.algorithm().orElse("none");
        if (alg.toLowerCase(Locale.ROOT).equals("none")) {
            throw challenge.invalid("unsigned tokens (alg none) are not accepted");
        }
        Errors signature = verify(signed, jwt, keys.current());
        if (!signature.isValid()) {
            throw challenge.invalid("the signature does not verify with the issuer's keys");
        }
        Errors claims = validator.validate(jwt);
        if (!claims.isValid()) {
            throw challenge.invalid(firstMessage(claims));
        }
        return caller(jwt);
    }

    private Errors verify(SignedJwt signed, Jwt jwt, JwkKeys known) {
        Optional<String> kid = jwt.keyId();
        if (kid.isPresent() && known.forKeyId(kid.get()).isEmpty()) {
            known = keys.refresh();
        }
        return signed.verifySignature(known, null);
    }

    private Caller caller(Jwt jwt) {
        String subject = text(jwt.payloadClaim(userClaim)).or(jwt::subject).filter(s -> !s.isBlank())
                .orElseThrow(() -> challenge.invalid("the token names no user (neither '" + userClaim + "' nor 'sub')"));
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

    /** Helidon's claim messages name the claim and the expected value; they never contain the token itself. */
    private static String firstMessage(Errors errors) {
        return errors.stream().filter(m -> m.getSeverity() == io.helidon.common.Severity.FATAL).findFirst()
                .map(Errors.ErrorMessage::getMessage).orElse("the token's claims were not accepted");
    }
}
