package dev.vibed.standalone.proxy;

import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.route.Route;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Serves apps on the API's port by Host header: {@code <appId>.localhost:<port>} is proxied to the app's sandbox,
 * streaming bodies both ways and keeping path and query; any other host falls through to the API. An unknown app
 * host answers a short 404 page; a suspended, failed or starting app a 503 page that says which.
 */
public final class AppProxyFilter implements Filter {
    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "http2-settings");

    private final ProxyRouteTable routes;
    private final PublicUrls urls;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public AppProxyFilter(ProxyRouteTable routes, PublicUrls urls) {
        this.routes = routes;
        this.urls = urls;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        String appId = urls.appIdFromHost(host);
        if (appId == null) {
            chain.proceed();
            return;
        }
        Route route = routes.forHost(urls.host(appId)).orElse(null);
        if (route == null) {
            page(res, Status.NOT_FOUND_404, "No such app", "There is no app at " + urls.host(appId) + ".");
            return;
        }
        // A stranger learns that the app exists and what state it is in, nothing more (no logs, no reasons).
        switch (route.kind()) {
            case PROXY -> proxy(req, res, route.target(), host);
            case SUSPENDED -> page(res, Status.SERVICE_UNAVAILABLE_503, "App suspended",
                    "This app is suspended. Its owner can resume it.");
            case FAILED -> page(res, Status.SERVICE_UNAVAILABLE_503, "App failed to start",
                    "This app failed to start; its owner can see why.");
            case STARTING -> {
                res.header(HeaderNames.RETRY_AFTER, "5");
                page(res, Status.SERVICE_UNAVAILABLE_503, "App starting",
                        "This app is starting. Try again in a moment.");
            }
        }
    }

    private void proxy(RoutingRequest req, RoutingResponse res, String target, String host) {
        String query = req.query().rawValue();
        URI uri = URI.create("http://" + target + req.path().rawPath() + (query.isEmpty() ? "" : "?" + query));
        Method method = req.prologue().method();
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5));
        req.headers().forEach(h -> {
            if (!NOT_FORWARDED.contains(h.name().toLowerCase(Locale.ROOT))) {
                h.allValues().forEach(v -> out.header(h.name(), v));
            }
        });
        out.header("X-Forwarded-Host", host);
        out.header("X-Forwarded-Proto", "http");
        out.header("X-Forwarded-For", req.remotePeer().host());
        out.method(method.text(), body(req));
        HttpResponse<InputStream> upstream;
        try {
            upstream = client.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            page(res, Status.BAD_GATEWAY_502, "App not reachable", "The app did not answer: " + e.getClass().getSimpleName() + ".");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            page(res, Status.BAD_GATEWAY_502, "App not reachable", "Interrupted.");
            return;
        }
        res.status(Status.create(upstream.statusCode()));
        upstream.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !lower.startsWith(":")) {
                HeaderName header = HeaderNames.create(name);
                res.header(header, values.toArray(String[]::new));
            }
        });
        try (InputStream in = upstream.body()) {
            if (method == Method.HEAD) {
                res.send();
                return;
            }
            try (OutputStream body = res.outputStream()) {
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    body.write(buf, 0, n);
                    // Flush per chunk so streamed responses (SSE, long polls) reach the client as they are written.
                    body.flush();
                }
            }
        } catch (IOException e) {
            // The client or the app went away mid-body; the connection is closed by the server.
        }
    }

    private static HttpRequest.BodyPublisher body(RoutingRequest req) {
        if (!req.content().hasEntity()) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> req.content().inputStream());
        long length = req.headers().contentLength().orElse(-1L);
        return length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    private static void page(RoutingResponse res, Status status, String title, String text) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>"
                + "<body style=\"font-family:sans-serif;margin:3em\"><h1>" + title + "</h1><p>" + text
                + "</p><p><small>vibeD</small></p></body></html>\n";
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }

}
