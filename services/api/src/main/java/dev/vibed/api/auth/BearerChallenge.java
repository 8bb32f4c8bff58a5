package dev.vibed.api.auth;

import java.net.URI;

/**
 * How this API says "401" in each mode: the Bearer challenge (RFC 6750) and, with OIDC, where the protected
 * resource metadata lives (RFC 9728 {@code resource_metadata}), which MCP clients follow to find the issuer.
 *
 * @param resourceMetadata the metadata document's URL, or null when there is none (apikey mode)
 */
public record BearerChallenge(URI resourceMetadata) {
    static final String REALM = "vibed";

    /** No credentials were sent. */
    public UnauthorizedProblem missing() {
        return new UnauthorizedProblem("authentication required: send 'Authorization: Bearer <token>'", header(null));
    }

    /** Credentials were sent and refused; {@code why} says what was wrong without echoing them. */
    public UnauthorizedProblem invalid(String why) {
        return new UnauthorizedProblem("the credentials were not accepted: " + why, header("invalid_token"));
    }

    private String header(String error) {
        StringBuilder b = new StringBuilder("Bearer realm=\"" + REALM + "\"");
        if (resourceMetadata != null) {
            b.append(", resource_metadata=\"").append(resourceMetadata).append('"');
        }
        if (error != null) {
            b.append(", error=\"").append(error).append('"');
        }
        return b.toString();
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header: null when the header is absent or empty, and a
     * refusal when it uses another scheme.
     */
    public String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return null;
        }
        String value = authorizationHeader.strip();
        if (value.equalsIgnoreCase("Bearer")) {
            return null;
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw invalid("only the Bearer scheme is accepted ('Authorization: Bearer <token>')");
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty()) {
            return null;
        }
        return token;
    }
}
