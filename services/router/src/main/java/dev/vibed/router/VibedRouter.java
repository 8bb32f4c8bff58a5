package dev.vibed.router;

import dev.vibed.api.metrics.MetricsHttpService;
import dev.vibed.api.metrics.Meters;
import dev.vibed.core.route.RouteSync;
import dev.vibed.kube.store.AppEnvSecrets;
import dev.vibed.kube.store.KubeAppStore;
import dev.vibed.core.route.RouteTable;
import dev.vibed.router.caddy.CaddyAdminCalls;
import dev.vibed.router.caddy.CaddyBase;
import dev.vibed.router.caddy.CaddyRouteTable;
import dev.vibed.router.pages.PageBook;
import dev.vibed.router.pages.PageServer;
import dev.vibed.router.wildcard.WildcardRouteTable;
import dev.vibed.router.wildcard.WildcardRoutes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * vibed-router assembled: core's {@link RouteSync} keeps the route table equal to the apps' desired routes, fed by
 * a watch of VibedApps (the router only reads Kubernetes, so it scales to N replicas) and a full resync every
 * {@code resync}, which also refills a restarted Caddy within that period. With wildcard routing the table is a
 * {@link WildcardRouteTable} (Caddy holds one static route, the page server answers the states that do not
 * serve); with per-app routing every app is a Caddy route.
 */
public final class VibedRouter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VibedRouter.class.getName());

    private final KubeAppStore store;
    private final CaddyRouteTable table;
    private final PageServer pages;
    private final RouteSync sync;
    private final WebServer health;

    private VibedRouter(RouterConfig config, KubernetesClient client) {
        store = new KubeAppStore(client, config.namespace(), AppEnvSecrets.Access.NONE);
        RouteTable routes;
        if (config.routing() == RouterConfig.Routing.WILDCARD) {
            PageBook book = new PageBook();
            pages = new PageServer(book, config.pagesBind(), config.pagesPort());
            WildcardRoutes wildcard = config.wildcardRoutes(pages.port());
            table = new CaddyRouteTable(config.caddyAdmin(), config.caddyServer(), config.caddyListen(), Duration.ofSeconds(5),
                    WildcardRouteTable.base(wildcard));
            routes = new WildcardRouteTable(table, wildcard, book);
        } else {
            pages = null;
            table = new CaddyRouteTable(config.caddyAdmin(), config.caddyServer(), config.caddyListen(), Duration.ofSeconds(5),
                    CaddyBase.fallbackOnly().retiring(WildcardRoutes.WILDCARD_ID, WildcardRoutes.PAGES_ID));
            routes = table;
        }
        sync = new RouteSync(store, routes, config.urls());
        health = WebServer.builder().host(config.healthBind()).port(config.healthPort())
                .routing(r -> r.get("/healthz", (req, res) -> res.send("ok\n"))
                        .get("/readyz", (req, res) -> {
                            if (table.reachable()) {
                                res.send("ready\n");
                            } else {
                                res.status(Status.SERVICE_UNAVAILABLE_503).send("caddy admin API not reached yet\n");
                            }
                        })
                        .register("/", new MetricsHttpService(new Meters().onScrape(this::metrics))))
                .build().start();
        try {
            table.ensureBase();
        } catch (Exception e) {
            // Not fatal: the periodic resync retries, and readiness says why we are not ready.
            LOG.warning("Caddy admin API at " + config.caddyAdmin() + " not usable yet: " + e.getMessage());
        }
        sync.start(Math.max(1, config.resync().toSeconds()));
    }

    private void metrics(Meters.Readings m) {
        RouteSync.Stats stats = sync.stats();
        m.counter("vibed_router_resyncs_total", "Full comparisons of Caddy's routes with the apps", stats.resyncs())
                .counter("vibed_router_route_updates_total", "Route upserts and removals sent to Caddy", stats.updates())
                .counter("vibed_router_failures_total", "Route updates or resyncs that failed (retried)", stats.failures())
                .counter("vibed_router_caddy_writes_total", "Admin API calls that changed Caddy's config", table.adminCalls().writes())
                .gauge("vibed_router_caddy_reachable", "1 when Caddy's admin API answers", table.reachable() ? 1 : 0);
    }

    public static VibedRouter start(RouterConfig config, KubernetesClient client) {
        return new VibedRouter(config, client);
    }

    public RouteSync sync() {
        return sync;
    }

    public int healthPort() {
        return health.port();
    }

    /** The page server's port; -1 with per-app routing, which has none. */
    public int pagesPort() {
        return pages == null ? -1 : pages.port();
    }

    /** Admin API calls this router made so far. */
    public CaddyAdminCalls adminCalls() {
        return table.adminCalls();
    }

    @Override
    public void close() {
        sync.close();
        health.stop();
        if (pages != null) {
            pages.close();
        }
        store.close();
    }
}
