package dev.vibed.router.pages;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * The page every app host gets when Caddy's wildcard route cannot reach an app (no such Service, no endpoint, a
 * dead pod): Caddy's error handling proxies the request here with its Host, and the app's state from the watch picks
 * the page and its status. So suspended, failed and starting apps, and unknown hosts, need no Caddy route each.
 */
public final class PageServer implements AutoCloseable {
    private final WebServer server;

    public PageServer(PageBook book, String bind, int port) {
        server = WebServer.builder().host(bind).port(port)
                .routing(r -> r.any((req, res) -> {
                    Page page = book.pageFor(req.headers().first(HeaderNames.HOST).orElse(null));
                    res.status(Status.create(page.status()));
                    page.headers().forEach(res::header);
                    res.send(page.body());
                }))
                .build().start();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
