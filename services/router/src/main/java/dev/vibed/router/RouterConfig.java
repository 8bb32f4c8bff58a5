package dev.vibed.router;

import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.api.ClusterApiConfig;
import dev.vibed.kube.config.Settings;
import dev.vibed.router.wildcard.WildcardRoutes;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Settings of vibed-router.
 *
 * @param caddyAdmin   Caddy's admin API; Caddy must allow our Host there ({@code admin.origins}) when it is not
 *                     reached as its own listen address
 * @param caddyServer  the key of the HTTP server under {@code apps.http.servers} that serves the apps
 * @param caddyListen  listen addresses, used only if the router has to create that server
 * @param resync       how often the whole route table is compared with the apps (and a restarted Caddy refilled)
 * @param routing      {@link Routing#WILDCARD} (one static route; default) or {@link Routing#PER_APP}
 * @param clusterDomain the cluster's DNS domain, in the per-app Service names Caddy resolves (wildcard routing)
 * @param servicePort  the port of the per-app Services
 * @param dnsResolvers DNS servers Caddy asks for Service names ({@code udp/host:port}); empty: Caddy's resolv.conf
 * @param dnsRefresh   how long Caddy caches a resolved Service address
 * @param pagesBind    where the page server (suspended, failed, starting, 404 pages) listens
 * @param pagesPort    its port (0: any free one)
 * @param pagesDial    how Caddy reaches the page server ({@code host:port}); null: {@code 127.0.0.1:<its port>}
 */
public record RouterConfig(String namespace, PublicUrls urls, URI caddyAdmin, String caddyServer, List<String> caddyListen,
                           Duration resync, String healthBind, int healthPort, Routing routing, String clusterDomain,
                           int servicePort, List<String> dnsResolvers, Duration dnsRefresh, String pagesBind, int pagesPort,
                           String pagesDial) {

    /** How Caddy finds an app. */
    public enum Routing {
        /** One wildcard route whose upstream is the app's Service, resolved by name per request. */
        WILDCARD,
        /** One Caddy route per app: for setups whose targets are pod addresses Caddy cannot derive from the host. */
        PER_APP
    }

    public RouterConfig {
        caddyListen = List.copyOf(caddyListen);
        dnsResolvers = List.copyOf(dnsResolvers);
    }

    /** Per-app routes, as routers were configured before wildcard routing (tests that publish pod addresses). */
    public RouterConfig(String namespace, PublicUrls urls, URI caddyAdmin, String caddyServer, List<String> caddyListen,
                        Duration resync, String healthBind, int healthPort) {
        this(namespace, urls, caddyAdmin, caddyServer, caddyListen, resync, healthBind, healthPort, Routing.PER_APP,
                "cluster.local", 8080, List.of(), Duration.ofSeconds(1), "127.0.0.1", 0, null);
    }

    /**
     * The static Caddy config of wildcard routing these settings make: what the router programs, and what the chart's
     * Caddy ConfigMap must hold too, so that a restarted Caddy serves before the router's next resync.
     *
     * @param pagesPort the page server's actual port, dialled on loopback when {@code pagesDial} is not set
     */
    public WildcardRoutes wildcardRoutes(int pagesPort) {
        return new WildcardRoutes(urls.domain(), "." + namespace + ".svc." + clusterDomain, servicePort, dnsResolvers,
                dnsRefresh, pagesDial != null ? pagesDial : "127.0.0.1:" + pagesPort);
    }

    /** The same settings with wildcard routing through the given DNS servers and page server. */
    public RouterConfig wildcard(List<String> resolvers, String pagesBind, int pagesPort, String pagesDial) {
        return new RouterConfig(namespace, urls, caddyAdmin, caddyServer, caddyListen, resync, healthBind, healthPort,
                Routing.WILDCARD, clusterDomain, servicePort, resolvers, dnsRefresh, pagesBind, pagesPort, pagesDial);
    }

    /** The same settings with another cluster domain and Service port (tests serve every fake app on one port). */
    public RouterConfig services(String clusterDomain, int servicePort) {
        return new RouterConfig(namespace, urls, caddyAdmin, caddyServer, caddyListen, resync, healthBind, healthPort,
                routing, clusterDomain, servicePort, dnsResolvers, dnsRefresh, pagesBind, pagesPort, pagesDial);
    }

    public static RouterConfig from(Settings s) {
        String resolvers = s.get("dns-resolvers", "");
        return new RouterConfig(
                s.get("namespace", ClusterApiConfig.DEFAULT_NAMESPACE),
                new PublicUrls(s.get("public-scheme", "https"), s.required("domain"), s.integer("public-port", 0)),
                URI.create(s.get("caddy-admin", "http://vibed-caddy-admin:2019")),
                s.get("caddy-server", "vibed"),
                List.of(s.get("caddy-listen", ":80").split(",")),
                s.duration("resync", Duration.ofSeconds(5)),
                s.get("health-bind", "0.0.0.0"),
                s.integer("health-port", 8082),
                Routing.valueOf(s.get("routing", "wildcard").toUpperCase(Locale.ROOT).replace('-', '_')),
                s.get("cluster-domain", "cluster.local"),
                s.integer("service-port", 8080),
                Arrays.stream(resolvers.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList(),
                s.duration("dns-refresh", Duration.ofSeconds(1)),
                s.get("pages-bind", "0.0.0.0"),
                s.integer("pages-port", 8083),
                blankToNull(s.get("pages-dial", "")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
