package dev.vibed.api.auth;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;

/**
 * This API as an OAuth protected resource (RFC 9728): its identifier and the issuer that mints its tokens. MCP
 * clients fetch the metadata document after a 401 to learn where to log in.
 *
 * @param resource the API's public URL as clients address it
 * @param issuer   the authorization server (the OIDC issuer)
 */
public record ProtectedResource(URI resource, String issuer) {
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    /** RFC 9728 section 3: the well-known segment goes between the host and the resource's path. */
    public String metadataPath() {
        String path = resource.getRawPath() == null ? "" : resource.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return WELL_KNOWN + path;
    }

    public URI metadataUrl() {
        return URI.create(resource.getScheme() + "://" + resource.getRawAuthority() + metadataPath());
    }

    public JsonObject metadata() {
        return Json.createObjectBuilder()
                .add("resource", resource.toString())
                .add("authorization_servers", Json.createArrayBuilder().add(issuer))
                .add("bearer_methods_supported", Json.createArrayBuilder().add("header"))
                .add("resource_name", "vibeD")
                .build();
    }
}
