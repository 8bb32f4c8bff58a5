package dev.vibed.standalone.proxy;

import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.route.Route;
import dev.vibed.standalone.site.SiteAddress;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Passes a WebSocket upgrade for an app host through to the app: the handshake goes to the app as the client sent it
 * and, from then on, the connection is a byte tunnel ({@link AppTunnel}), so the app speaks the WebSocket protocol
 * itself (subprotocols, extensions, its own close codes). Hosts that are not apps go to Helidon's own upgrader if
 * there is one; an app without a live route, or one that cannot be reached, falls back to plain HTTP, where the proxy
 * filter answers with its 404/503/502 page.
 */
final class AppTunnelUpgrader implements Http1Upgrader {
    static final String PROTOCOL = "websocket";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ProxyRouteTable routes;
    private final PublicUrls urls;
    private final Http1Upgrader fallback;

    AppTunnelUpgrader(ProxyRouteTable routes, PublicUrls urls, Http1Upgrader fallback) {
        this.routes = routes;
        this.urls = urls;
        this.fallback = fallback;
    }

    @Override
    public String supportedProtocol() {
        return PROTOCOL;
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        String host = headers.first(HeaderNames.HOST).orElse(null);
        String appId = urls.appIdFromHost(host);
        if (appId == null) {
            return fallback == null ? null : fallback.upgrade(ctx, prologue, headers);
        }
        Route route = routes.forHost(urls.host(appId)).orElse(null);
        if (route == null || route.kind() != Route.Kind.PROXY || SiteAddress.isTarget(route.target())) {
            // A static site has nothing to upgrade to: the request is answered as plain HTTP.
            return null;
        }
        UpstreamConnection upstream = null;
        try {
            // No read timeout: a WebSocket may stay quiet for as long as both ends like.
            upstream = UpstreamConnection.open(route.target(), CONNECT_TIMEOUT, Duration.ZERO);
            upstream.out().write(handshake(prologue, headers, host, ctx.remotePeer().host()));
            upstream.out().flush();
            return new AppTunnel(ctx, upstream);
        } catch (IOException | RuntimeException e) {
            if (upstream != null) {
                upstream.close();
            }
            return null;
        }
    }

    private static byte[] handshake(HttpPrologue prologue, WritableHeaders<?> headers, String host, String peer) {
        StringBuilder sb = new StringBuilder(512);
        sb.append(prologue.method().text()).append(' ').append(prologue.uriPath().rawPath());
        String query = prologue.query().rawValue();
        if (!query.isEmpty()) {
            sb.append('?').append(query);
        }
        sb.append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        HopByHop hop = HopByHop.of(headers.all(HeaderNames.CONNECTION, List::of));
        headers.forEach(h -> {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (!hop.drops(lower) && !lower.equals("host") && !lower.startsWith("x-forwarded-")) {
                for (String v : h.allValues()) {
                    sb.append(h.name()).append(": ").append(v).append("\r\n");
                }
            }
        });
        sb.append("Connection: Upgrade\r\n");
        sb.append("Upgrade: ").append(headers.first(HeaderNames.UPGRADE).orElse(PROTOCOL)).append("\r\n");
        sb.append("X-Forwarded-Host: ").append(host).append("\r\n");
        sb.append("X-Forwarded-Proto: http\r\n");
        sb.append("X-Forwarded-For: ").append(peer).append("\r\n");
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
