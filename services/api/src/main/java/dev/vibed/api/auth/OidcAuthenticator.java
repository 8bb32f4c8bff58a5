package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;
import io.helidon.security.jwt.JwtValidator;

/**
 * Auth mode oidc: a bearer JWT is accepted when the issuer's key signed it and it names our issuer and audience
 * and has not expired; its claims then say who is calling.
 */
public final class OidcAuthenticator implements Authenticator {
    private final IssuerTokens tokens;
    private final JwtValidator accessTokenClaims;
    private final ClaimMapping claims;
    private final BearerChallenge challenge;

    OidcAuthenticator(IssuerTokens tokens, String issuer, String audience, ClaimMapping claims, BearerChallenge challenge) {
        this.tokens = tokens;
        this.claims = claims;
        this.challenge = challenge;
        this.accessTokenClaims = claimChecks(issuer, audience);
    }

    /** Issuer, audience and expiry are mandatory; a not-before in the future is refused too. */
    static JwtValidator claimChecks(String issuer, String audience) {
        return JwtValidator.builder()
                .addIssuerValidator(issuer, true)
                .addAudienceValidator(a -> a.addExpectedAudience(audience).mandatory(true))
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
        try {
            return claims.caller(tokens.verified(token, accessTokenClaims));
        } catch (TokenRejected e) {
            throw challenge.invalid(e.getMessage());
        }
    }
}
