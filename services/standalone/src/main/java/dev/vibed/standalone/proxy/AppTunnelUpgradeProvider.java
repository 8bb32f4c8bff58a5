package dev.vibed.standalone.proxy;

import io.helidon.common.HelidonServiceLoader;
import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ProtocolConfig;

import java.util.ServiceLoader;

/**
 * Registers {@link AppTunnelUpgrader} for {@code Upgrade: websocket} on listeners that carry an {@link AppTunnelConfig}.
 * Weighted above Helidon's own WebSocket support, which it keeps for every host that is not an app.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 100)
public final class AppTunnelUpgradeProvider implements Http1UpgradeProvider<AppTunnelConfig> {
    public AppTunnelUpgradeProvider() {
    }

    @Override
    public String protocolType() {
        return AppTunnelConfig.TYPE;
    }

    @Override
    public Class<AppTunnelConfig> protocolConfigType() {
        return AppTunnelConfig.class;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Http1Upgrader create(AppTunnelConfig config, ProtocolConfigs configs) {
        Http1Upgrader fallback = null;
        for (Http1UpgradeProvider other : HelidonServiceLoader.create(ServiceLoader.load(Http1UpgradeProvider.class)).asList()) {
            if (other instanceof AppTunnelUpgradeProvider || fallback != null) {
                continue;
            }
            for (Object c : configs.config(other.protocolType(), other.protocolConfigType())) {
                Http1Upgrader u = other.create((ProtocolConfig) c, configs);
                if (AppTunnelUpgrader.PROTOCOL.equals(u.supportedProtocol())) {
                    fallback = u;
                    break;
                }
            }
        }
        return new AppTunnelUpgrader(config.routes(), config.urls(), fallback);
    }
}
