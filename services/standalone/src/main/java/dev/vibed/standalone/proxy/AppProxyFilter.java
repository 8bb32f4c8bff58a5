package dev.vibed.standalone.proxy;

import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.route.Route;
import dev.vibed.standalone.site.SiteAddress;
import dev.vibed.standalone.site.StaticSiteHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Serves apps on the API's port by Host header: {@code <appId>.localhost:<port>} is proxied to the app's sandbox over
 * pooled keep-alive connections, streaming bodies both ways and keeping path and query; any other host falls through
 * to the API. An unknown app host answers a short 404 page; a suspended, failed or starting app a 503 page that says
 * which. A site of the shared static host is answered in process by {@link StaticSiteHandler}. WebSocket upgrades never reach this filter: {@link AppTunnelUpgrader} takes them over at the connection level.
 */
public final class AppProxyFilter implements Filter, AutoCloseable {
    private final ProxyRouteTable routes;
    private final PublicUrls urls;
    private final StaticSiteHandler sites;
    private final UpstreamPool pool = new UpstreamPool(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(2), 256);
    private final HttpForwarder forwarder = new HttpForwarder(pool);

    private final Consumer<String> served;

    /** {@code served} hears the target (host:port) of every request the app answered, once its answer is sent. */
    public AppProxyFilter(ProxyRouteTable routes, PublicUrls urls, StaticSiteHandler sites,
                          Consumer<String> served) {
        this.routes = routes;
        this.urls = urls;
        this.sites = sites;
        this.served = served;
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
            case PROXY -> {
                if (SiteAddress.isTarget(route.target())) {
                    if (!sites.serve(route.target(), req, res)) {
                        starting(res); // after a restart, until the reconciler has unpacked the site again
                    }
                    return;
                }
                try {
                    forwarder.forward(req, res, route.target(), host);
                    served.accept(route.target());
                } catch (HttpForwarder.UpstreamFailure e) {
                    page(res, Status.BAD_GATEWAY_502, "App not reachable", "The app did not answer.");
                }
            }
            case SUSPENDED -> page(res, Status.SERVICE_UNAVAILABLE_503, "App suspended",
                    "This app is suspended. Its owner can resume it.");
            case FAILED -> page(res, Status.SERVICE_UNAVAILABLE_503, "App failed to start",
                    "This app failed to start; its owner can see why.");
            case STARTING -> starting(res);
        }
    }

    private static void starting(RoutingResponse res) {
        res.header(HeaderNames.RETRY_AFTER, "5");
        page(res, Status.SERVICE_UNAVAILABLE_503, "App starting", "This app is starting. Try again in a moment.");
    }

    /** Idle upstream connections held by the pool, for tests that check reuse. */
    int idleUpstreamConnections() {
        return pool.idleCount();
    }

    @Override
    public void close() {
        pool.close();
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
