package dev.vibed.api.auth;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What OIDC discovery says about the issuer: its exact issuer string, where its signing keys are, and the endpoints
 * the dashboard's login uses. Read once at start-up, so a wrong issuer URL stops vibeD with a clear message instead
 * of failing every request later.
 */
public record IssuerMetadata(String issuer, URI jwksUri, URI authorizationEndpoint, URI tokenEndpoint, URI endSessionEndpoint) {
    static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    public static IssuerMetadata discover(URI issuer, HttpClient http) {
        requireSafeUrl(issuer, "--oidc-issuer");
        String base = issuer.toString().endsWith("/") ? issuer.toString().substring(0, issuer.toString().length() - 1)
                : issuer.toString();
        URI wellKnown = URI.create(base + "/.well-known/openid-configuration");
        JsonObject doc;
        try {
            doc = getJson(http, wellKnown);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("OIDC discovery at " + wellKnown + " failed: " + e.getMessage()
                    + " (is --oidc-issuer right and the issuer up?)");
        }
        String announced = string(doc, "issuer");
        if (announced == null || !(announced.equals(issuer.toString()) || announced.equals(base))) {
            throw new IllegalArgumentException("OIDC discovery at " + wellKnown + " names the issuer '" + announced
                    + "', not '" + issuer + "': use exactly the issuer's own URL as --oidc-issuer");
        }
        String jwks = string(doc, "jwks_uri");
        if (jwks == null) {
            throw new IllegalArgumentException("OIDC discovery at " + wellKnown + " has no jwks_uri");
        }
        return new IssuerMetadata(announced, checked(jwks, "jwks_uri"), checked(string(doc, "authorization_endpoint"), "authorization_endpoint"),
                checked(string(doc, "token_endpoint"), "token_endpoint"), checked(string(doc, "end_session_endpoint"), "end_session_endpoint"));
    }

    /** GETs a small JSON object: no redirects, bounded size, a clear error for anything but 200. */
    static JsonObject getJson(HttpClient http, URI uri) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try (InputStream in = res.body()) {
            byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (res.statusCode() != 200) {
                throw new IOException("HTTP " + res.statusCode());
            }
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw new IOException("the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            try (JsonReader reader = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
                return reader.readObject();
            } catch (RuntimeException e) {
                throw new IOException("not a JSON object");
            }
        }
    }

    /** Keys and tokens only over TLS, except on loopback (a local issuer in development and tests). */
    static void requireSafeUrl(URI uri, String what) {
        if (uri == null || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL, not '" + uri + "'");
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return;
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && loopback(uri.getHost())) {
            return;
        }
        throw new IllegalArgumentException(what + " must use https (plain http only on loopback), not '" + uri + "'");
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static URI checked(String value, String what) {
        if (value == null) {
            return null;
        }
        URI uri = URI.create(value);
        requireSafeUrl(uri, "the issuer's " + what);
        return uri;
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof JsonString s ? s.getString() : null;
    }
}
