package dev.vibed.standalone.proxy;

import dev.vibed.core.app.PublicUrls;
import io.helidon.webserver.spi.ProtocolConfig;

/**
 * Hands the proxy's routes to {@link AppTunnelUpgradeProvider}, which Helidon creates through its service loader: a
 * listener given this config passes app WebSocket upgrades through to the apps.
 */
public record AppTunnelConfig(ProxyRouteTable routes, PublicUrls urls) implements ProtocolConfig {
    static final String TYPE = "vibed-app-tunnel";

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
