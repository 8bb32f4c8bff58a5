package dev.vibed.api.dashboard;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web dashboard as the build packed it into the jar ({@code /dashboard/} on the classpath): {@code /} is its
 * page and {@code /assets/*} its content-hashed files. Only these two paths, so every other path stays the API's;
 * app hosts never get here because the proxy filter answers them first. The page must always be revalidated (it
 * names the current hashes), while a hashed file never changes and is cached for good.
 */
public final class DashboardHttpService implements HttpService {
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "woff2", "font/woff2", "ico", "image/x-icon");

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page).get("/index.html", this::page).get("/assets/{file}", this::asset);
    }

    private void page(ServerRequest req, ServerResponse res) {
        byte[] html = load("index.html");
        if (html == null) {
            text(res, Status.NOT_FOUND_404, "the dashboard is not in this build (services/api bundles dashboard-ui with npm)");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("Content-Security-Policy", CSP);
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Referrer-Policy", "same-origin");
        res.send(html);
    }

    private void asset(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("file");
        String ext = name.substring(name.lastIndexOf('.') + 1);
        byte[] body = ASSET.matcher(name).matches() && TYPES.containsKey(ext) ? load("assets/" + name) : null;
        if (body == null) {
            text(res, Status.NOT_FOUND_404, "no such dashboard file");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get(ext));
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        res.header("X-Content-Type-Options", "nosniff");
        res.send(body);
    }

    private byte[] load(String path) {
        return cache.computeIfAbsent(path, p -> {
            try (InputStream in = DashboardHttpService.class.getResourceAsStream("/dashboard/" + p)) {
                return Optional.ofNullable(in == null ? null : in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(null);
    }

    private static void text(ServerResponse res, Status status, String message) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(message.getBytes(StandardCharsets.UTF_8));
    }
}
