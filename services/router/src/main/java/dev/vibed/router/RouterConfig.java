package dev.vibed.router;

import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.api.ClusterApiConfig;
import dev.vibed.kube.config.Settings;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Settings of vibed-router.
 *
 * @param caddyAdmin  Caddy's admin API; Caddy must allow our Host there ({@code admin.origins}) when it is not
 *                    reached as its own listen address
 * @param caddyServer the key of the HTTP server under {@code apps.http.servers} that serves the apps
 * @param caddyListen listen addresses, used only if the router has to create that server
 * @param resync      how often the whole route table is compared with the apps (and a restarted Caddy refilled)
 */
public record RouterConfig(String namespace, PublicUrls urls, URI caddyAdmin, String caddyServer, List<String> caddyListen,
                           Duration resync, String healthBind, int healthPort) {

    public static RouterConfig from(Settings s) {
        return new RouterConfig(
                s.get("namespace", ClusterApiConfig.DEFAULT_NAMESPACE),
                new PublicUrls(s.get("public-scheme", "https"), s.required("domain"), s.integer("public-port", 0)),
                URI.create(s.get("caddy-admin", "http://vibed-caddy-admin:2019")),
                s.get("caddy-server", "vibed"),
                List.of(s.get("caddy-listen", ":80").split(",")),
                s.duration("resync", Duration.ofSeconds(5)),
                s.get("health-bind", "0.0.0.0"),
                s.integer("health-port", 8082));
    }
}
