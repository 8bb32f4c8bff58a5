package dev.vibed.router;

import dev.vibed.core.app.App;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.store.KubeAppStore;
import dev.vibed.kube.testing.CaddyProcess;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.SampleApps;
import dev.vibed.kube.testing.ThroughCaddy;
import dev.vibed.kube.testing.TinyUpstream;
import dev.vibed.router.caddy.CaddyRouteTable;
import dev.vibed.router.testing.Statuses;
import dev.vibed.router.wildcard.WildcardRouteTable;
import dev.vibed.router.wildcard.WildcardRoutes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vibed-router end to end: VibedApps in the (mock) API server, two router replicas, one real Caddy. Routes follow
 * app status, survive a Caddy restart, and the replicas do not fight.
 */
class VibedRouterTest {
    private static final String NS = "vibed-apps";
    private static final PublicUrls URLS = new PublicUrls("http", "apps.test", 0);
    private static KubeMock kube;
    private static CaddyProcess caddy;
    private static KubeAppStore store;
    private static VibedRouter routerA;
    private static VibedRouter routerB;

    @BeforeAll
    static void start() throws IOException {
        kube = KubeMock.start(NS);
        caddy = CaddyProcess.start(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "caddy-"));
        store = new KubeAppStore(kube.newClient(), NS);
        routerA = VibedRouter.start(config(), kube.newClient());
        routerB = VibedRouter.start(config(), kube.newClient());
    }

    private static RouterConfig config() {
        return new RouterConfig(NS, URLS, caddy.adminUri(), CaddyProcess.SERVER, List.of("127.0.0.1:" + caddy.httpPort()),
                Duration.ofSeconds(1), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        routerA.close();
        routerB.close();
        store.close();
        caddy.close();
        kube.close();
    }

    @Test
    void routeFollowsStatusSuspensionAndDeletion() {
        try (TinyUpstream upstream = new TinyUpstream("hello from v1")) {
            App app = store.create(SampleApps.app("alice", "routed", "static", SampleApps.sha('1')));
            String host = URLS.host(app.id());
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> starting = ThroughCaddy.get(caddy.httpPort(), host);
                assertThat(starting.statusCode()).as("not Ready yet").isEqualTo(503);
                assertThat(starting.headers().firstValue("X-Vibed-Not-Serving")).contains("starting");
            });
            store.updateStatus(app.id(), Statuses.failed());
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> failed = ThroughCaddy.get(caddy.httpPort(), host);
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(failed.body()).contains("This app failed to start; its owner can see why.");
            });

            store.updateStatus(app.id(), Statuses.ready(upstream.target()));
            awaitBody(host, "hello from v1");

            store.updateSpec(app.id(), s -> s.withSuspended(true));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).statusCode()).isEqualTo(503));

            store.updateSpec(app.id(), s -> s.withSuspended(false));
            awaitBody(host, "hello from v1");

            store.requestDelete(app.id());
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).statusCode()).isEqualTo(404));
            store.remove(app.id());
        }
    }

    @Test
    void aRestartedCaddyGetsItsRoutesBackWithinSeconds() {
        try (TinyUpstream upstream = new TinyUpstream("still here")) {
            App app = store.create(SampleApps.app("alice", "survivor", "static", SampleApps.sha('2')));
            String host = URLS.host(app.id());
            store.updateStatus(app.id(), Statuses.ready(upstream.target()));
            awaitBody(host, "still here");

            long before = caddy.pid();
            caddy.restart();
            assertThat(caddy.pid()).as("a new Caddy, started from the initial config without our routes").isNotEqualTo(before);
            // The resync runs every second; a few seconds is the promise.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("still here"));
            HttpResponse<String> unknown = ThroughCaddy.get(caddy.httpPort(), "nobody." + URLS.domain());
            assertThat(unknown.statusCode()).as("the fallback is back too").isEqualTo(404);
            assertThat(unknown.headers().firstValue("X-Vibed-Fallback")).contains("true");
        }
    }

    @Test
    void twoRoutersKeepExactlyOneCopyOfEachRoute() throws Exception {
        try (TinyUpstream upstream = new TinyUpstream("one copy")) {
            App app = store.create(SampleApps.app("alice", "twins", "static", SampleApps.sha('3')));
            store.updateStatus(app.id(), Statuses.ready(upstream.target()));
            awaitBody(URLS.host(app.id()), "one copy");
            // Several resync rounds of both replicas.
            routerA.sync().resync();
            routerB.sync().resync();
            String routes = new String(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(caddy.adminUri().resolve("/config/apps/http/servers/" + CaddyProcess.SERVER + "/routes")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(routes.split("\"vibed-app-" + app.id() + "\"", -1)).as("copies of the route").hasSize(2);
            assertThat(routes.split("\"vibed-fallback\"", -1)).as("copies of the fallback").hasSize(2);
        }
    }

    @Test
    void aWildcardBaseLeftBehindIsRemovedByPerAppRouters() throws Exception {
        WildcardRoutes wildcard = new WildcardRoutes(URLS.domain(), ".vibed-apps.svc.cluster.local", 8080, List.of(),
                Duration.ofSeconds(1), "127.0.0.1:9");
        CaddyRouteTable wildcardRouter = new CaddyRouteTable(caddy.adminUri(), CaddyProcess.SERVER,
                List.of("127.0.0.1:" + caddy.httpPort()), Duration.ofSeconds(5), WildcardRouteTable.base(wildcard));
        wildcardRouter.ensureBase();
        // The per-app routers may take it out at once, so what proves it was there is that it was written.
        assertThat(wildcardRouter.adminCalls().writes()).as("a wildcard router's base written").isPositive();

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(adminGet("/id/" + WildcardRoutes.WILDCARD_ID).statusCode()).isEqualTo(404);
            assertThat(adminGet("/id/" + WildcardRoutes.PAGES_ID).statusCode()).isEqualTo(404);
        });
        HttpResponse<String> unknown = ThroughCaddy.get(caddy.httpPort(), "nobody." + URLS.domain());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("X-Vibed-Fallback")).contains("true");
    }

    private static HttpResponse<String> adminGet(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(caddy.adminUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsCaddysAdminApi() throws Exception {
        var res = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + routerA.healthPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        routerA.sync().resync();
        var metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + routerA.healthPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("vibed_router_caddy_reachable 1").containsPattern("vibed_router_resyncs_total [1-9]");
    }


    private static void awaitBody(String host, String body) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo(body));
    }
}
