package dev.vibed.api.auth;

import io.helidon.common.Errors;
import io.helidon.common.Severity;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks a JWT from the issuer: well formed, signed (never alg none) by one of the issuer's keys, and passing the
 * claim checks the caller asks for. Helidon security's JWT classes do the parsing, signature and claim work. Both
 * API bearer tokens and the login's ID tokens go through here, each with its own claim checks.
 */
final class IssuerTokens {
    /** Far above any real token: a longer header is refused before it is parsed. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final IssuerKeys keys;

    IssuerTokens(IssuerKeys keys) {
        this.keys = keys;
    }

    Jwt verified(String token, JwtValidator claims) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejected("the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        SignedJwt signed;
        Jwt jwt;
        try {
            signed = SignedJwt.parseToken(token);
            jwt = signed.getJwt();
        } catch (RuntimeException e) {
            // The parser's message repeats the token: never pass it on.
            throw new TokenRejected("not a signed JWT");
        }
        if (jwt.algorithm().orElse("none").toLowerCase(Locale.ROOT).equals("none")) {
            throw new TokenRejected("unsigned tokens (alg none) are not accepted");
        }
        if (!verify(signed, jwt, keys.current()).isValid()) {
            throw new TokenRejected("the signature does not verify with the issuer's keys");
        }
        Errors errors = claims.validate(jwt);
        if (!errors.isValid()) {
            // Helidon's claim messages name the claim and the expected value, never the token.
            throw new TokenRejected(errors.stream().filter(m -> m.getSeverity() == Severity.FATAL).findFirst()
                    .map(Errors.ErrorMessage::getMessage).orElse("the token's claims were not accepted"));
        }
        return jwt;
    }

    private Errors verify(SignedJwt signed, Jwt jwt, JwkKeys known) {
        Optional<String> kid = jwt.keyId();
        if (kid.isPresent() && known.forKeyId(kid.get()).isEmpty()) {
            known = keys.refresh();
        }
        return signed.verifySignature(known, null);
    }
}
