package dev.vibed.api.mcp;

import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * How /mcp answers a request the auth mode refused: 401 with a {@code WWW-Authenticate} challenge that points an
 * MCP client at our OAuth protected-resource metadata (RFC 9728), which is how it finds the issuer to log in
 * with. Kept in one method so the auth modes can supply their own challenge.
 */
public final class McpAuth {
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private McpAuth() {
    }

    /** The challenge for an unauthenticated request; {@code base} is the URL the client reached us at. */
    public static String challenge(String base) {
        return "Bearer resource_metadata=\"" + base + METADATA_PATH + "\"";
    }

    static void unauthorized(ServerResponse res, String base, Problem p) {
        // The auth mode knows its own challenge (oidc points at the metadata; apikey has none to give).
        res.header(HeaderNames.WWW_AUTHENTICATE,
                p instanceof dev.vibed.api.auth.UnauthorizedProblem u && u.challenge() != null ? u.challenge() : challenge(base));
        JsonResponses.problem(res, p);
    }
}
