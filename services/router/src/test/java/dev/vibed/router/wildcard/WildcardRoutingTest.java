package dev.vibed.router.wildcard;

import dev.vibed.core.app.App;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.store.KubeAppStore;
import dev.vibed.kube.testing.CaddyProcess;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.SampleApps;
import dev.vibed.kube.testing.ThroughCaddy;
import dev.vibed.kube.testing.TinyUpstream;
import dev.vibed.router.testing.Statuses;
import dev.vibed.router.RouterConfig;
import dev.vibed.router.VibedRouter;
import dev.vibed.core.route.Route;
import dev.vibed.router.caddy.CaddyAdminCalls;
import dev.vibed.router.caddy.CaddyRouteTable;
import dev.vibed.router.testing.LoopbackApps;
import dev.vibed.router.testing.LoopbackDns;
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
 * Wildcard routing end to end: VibedApps in the (mock) API server, one router, a real Caddy whose {@code dynamic a}
 * upstreams resolve the per-app Service names through a loopback DNS server playing the cluster's, and fake Services
 * on their own loopback addresses. A Ready app costs Caddy nothing; the other states answer from the page server.
 */
class WildcardRoutingTest {
    private static final String NS = "vibed-apps";
    private static final String SUFFIX = "." + NS + ".svc.cluster.local";
    private static final PublicUrls URLS = new PublicUrls("http", "apps.test", 0);
    private static KubeMock kube;
    private static CaddyProcess caddy;
    private static LoopbackDns dns;
    private static LoopbackApps services;
    private static KubeAppStore store;
    private static VibedRouter router;

    @BeforeAll
    static void start() throws IOException {
        kube = KubeMock.start(NS);
        caddy = CaddyProcess.start(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "caddy-"));
        dns = new LoopbackDns();
        services = new LoopbackApps(dns, SUFFIX);
        store = new KubeAppStore(kube.newClient(), NS);
        router = VibedRouter.start(new RouterConfig(NS, URLS, caddy.adminUri(), CaddyProcess.SERVER,
                List.of("127.0.0.1:" + caddy.httpPort()), Duration.ofSeconds(1), "127.0.0.1", 0)
                .wildcard(List.of(dns.address()), "127.0.0.1", 0, null)
                .services("cluster.local", services.port()), kube.newClient());
    }

    @AfterAll
    static void stop() {
        router.close();
        store.close();
        services.close();
        dns.close();
        caddy.close();
        kube.close();
    }

    @Test
    void aReadyAppServesThroughTheWildcardWithNoAdminWrite() {
        App app = store.create(SampleApps.app("alice", "wild", "static", SampleApps.sha('4')));
        String host = URLS.host(app.id());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> starting = ThroughCaddy.get(caddy.httpPort(), host);
            assertThat(starting.statusCode()).as("no Service yet: the page server's starting page").isEqualTo(503);
            assertThat(starting.headers().firstValue("X-Vibed-Not-Serving")).contains("starting");
        });
        CaddyAdminCalls before = router.adminCalls();

        services.serve(app.id(), "hello through the wildcard");
        // Caddy does not cache failed lookups: the first request once the Service resolves reaches the app.
        assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("hello through the wildcard");
        store.updateStatus(app.id(), Statuses.ready(serviceTarget(app.id())));
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> router.sync().stats().resyncs() >= 2 && router.sync().stats().updates() > 0);
        long resyncs = router.sync().stats().resyncs();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> router.sync().stats().resyncs() >= resyncs + 2);

        assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("hello through the wildcard");
        assertThat(router.adminCalls().minus(before).writes()).as("admin API writes for a Ready app and two resyncs").isZero();
        store.requestDelete(app.id());
        services.unpublish(app.id());
    }

    @Test
    void statesThatDoNotServeAnswerTheirPages() {
        App app = store.create(SampleApps.app("alice", "moody", "static", SampleApps.sha('5')));
        String host = URLS.host(app.id());
        store.updateStatus(app.id(), Statuses.failed());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> failed = ThroughCaddy.get(caddy.httpPort(), host);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.headers().firstValue("X-Vibed-Not-Serving")).contains("failed");
            assertThat(failed.body()).contains("This app failed to start; its owner can see why.");
        });

        services.publishOnly(app.id());
        store.updateStatus(app.id(), Statuses.ready(serviceTarget(app.id())));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> dead = ThroughCaddy.get(caddy.httpPort(), host);
            assertThat(dead.statusCode()).as("Ready, but nothing answers at its Service").isEqualTo(502);
            assertThat(dead.headers().firstValue("X-Vibed-Not-Serving")).contains("unreachable");
        });

        // The controller deletes the Service of a suspended app.
        services.unpublish(app.id());
        store.updateSpec(app.id(), s -> s.withSuspended(true));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> suspended = ThroughCaddy.get(caddy.httpPort(), host);
            assertThat(suspended.statusCode()).isEqualTo(503);
            assertThat(suspended.headers().firstValue("X-Vibed-Suspended")).contains("true");
        });

        store.requestDelete(app.id());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> gone = ThroughCaddy.get(caddy.httpPort(), host);
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(gone.headers().firstValue("X-Vibed-Fallback")).contains("true");
        });
        store.remove(app.id());
    }

    @Test
    void unknownHostsAnswer404NeverAnEmpty200() {
        for (String host : List.of("nobody." + URLS.domain(), "a.b." + URLS.domain(), "elsewhere.example")) {
            HttpResponse<String> res = ThroughCaddy.get(caddy.httpPort(), host);
            assertThat(res.statusCode()).as(host).isEqualTo(404);
            assertThat(res.headers().firstValue("X-Vibed-Fallback")).as(host).contains("true");
            assertThat(res.body()).as(host).isEqualTo("no such app\n");
        }
    }

    @Test
    void aTargetTheWildcardCannotDeriveGetsARouteOfItsOwnUntilItCan() throws Exception {
        try (TinyUpstream pod = new TinyUpstream("straight to the pod")) {
            App app = store.create(SampleApps.app("alice", "podded", "static", SampleApps.sha('6')));
            String host = URLS.host(app.id());
            store.updateStatus(app.id(), Statuses.ready(pod.target()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("straight to the pod"));

            services.serve(app.id(), "through its Service");
            store.updateStatus(app.id(), Statuses.ready(serviceTarget(app.id())));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("through its Service"));
            assertThat(caddyRoutes()).as("its own route is gone again").doesNotContain("vibed-app-" + app.id());
            store.requestDelete(app.id());
            services.unpublish(app.id());
        }
    }

    @Test
    void routesLeftByPerAppRoutingAreRemoved() throws Exception {
        App app = store.create(SampleApps.app("alice", "legacy", "static", SampleApps.sha('8')));
        services.serve(app.id(), "served by name");
        store.updateStatus(app.id(), Statuses.ready(serviceTarget(app.id())));
        // What a router in per-app mode wrote before the switch, for the same app and target.
        new CaddyRouteTable(caddy.adminUri(), CaddyProcess.SERVER, List.of("127.0.0.1:" + caddy.httpPort()), Duration.ofSeconds(5))
                .upsert(new Route("vibed-app-" + app.id(), URLS.host(app.id()), serviceTarget(app.id()), Route.Kind.PROXY));
        assertThat(caddyRoutes()).contains("\"vibed-app-" + app.id() + "\"");

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(caddyRoutes()).doesNotContain("\"vibed-app-" + app.id() + "\""));
        assertThat(ThroughCaddy.get(caddy.httpPort(), URLS.host(app.id())).body()).isEqualTo("served by name");
        store.requestDelete(app.id());
        services.unpublish(app.id());
    }

    @Test
    void aRestartedCaddyGetsTheWildcardAndThePagesBack() {
        App app = store.create(SampleApps.app("alice", "phoenix", "static", SampleApps.sha('7')));
        String host = URLS.host(app.id());
        services.serve(app.id(), "risen");
        store.updateStatus(app.id(), Statuses.ready(serviceTarget(app.id())));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("risen"));

        long before = caddy.pid();
        caddy.restart();
        assertThat(caddy.pid()).isNotEqualTo(before);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(ThroughCaddy.get(caddy.httpPort(), host).body()).isEqualTo("risen"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> unknown = ThroughCaddy.get(caddy.httpPort(), "nobody." + URLS.domain());
            assertThat(unknown.statusCode()).as("the errors handling is back too").isEqualTo(404);
            assertThat(unknown.headers().firstValue("X-Vibed-Fallback")).contains("true");
        });
        store.requestDelete(app.id());
        services.unpublish(app.id());
    }

    private static String serviceTarget(String appId) {
        return "vibed-app-" + appId + SUFFIX + ":" + services.port();
    }


    private static String caddyRoutes() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        caddy.adminUri().resolve("/config/apps/http/servers/" + CaddyProcess.SERVER + "/routes")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
