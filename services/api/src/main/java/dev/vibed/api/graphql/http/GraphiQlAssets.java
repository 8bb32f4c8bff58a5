package dev.vibed.api.graphql.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * GraphiQL as the build bundled it from npm into the jar ({@code /graphiql/} on the classpath): the page, one
 * script and one stylesheet, all served by vibeD itself so the IDE works with no CDN and under a strict CSP.
 */
final class GraphiQlAssets {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,80}");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8",
            "txt", "text/plain; charset=utf-8", "woff2", "font/woff2", "woff", "font/woff", "ttf", "font/ttf");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void page(ServerResponse res) {
        byte[] html = load("index.html");
        if (html == null) {
            missing(res);
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get("html"));
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("Content-Security-Policy", CSP);
        res.header("X-Content-Type-Options", "nosniff");
        res.send(html);
    }

    void asset(String name, ServerResponse res) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        byte[] body = SAFE_NAME.matcher(name).matches() && TYPES.containsKey(ext) ? load(name) : null;
        if (body == null) {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("no such GraphiQL file".getBytes(StandardCharsets.UTF_8));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get(ext));
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.header("X-Content-Type-Options", "nosniff");
        res.send(body);
    }

    private byte[] load(String name) {
        byte[] cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = GraphiQlAssets.class.getResourceAsStream("/graphiql/" + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            cache.put(name, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void missing(ServerResponse res) {
        res.status(Status.NOT_FOUND_404);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send("GraphiQL is not in this build (the api module bundles it with npm)".getBytes(StandardCharsets.UTF_8));
    }
}
