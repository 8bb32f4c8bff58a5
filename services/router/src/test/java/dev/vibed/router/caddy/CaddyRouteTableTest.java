package dev.vibed.router.caddy;

import dev.vibed.core.route.Route;
import dev.vibed.kube.testing.CaddyProcess;
import dev.vibed.kube.testing.ThroughCaddy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real Caddy 2.6 (Debian package) through its admin API. */
class CaddyRouteTableTest {
    private static CaddyProcess caddy;
    private static CaddyRouteTable table;

    @BeforeAll
    static void start() throws java.io.IOException {
        caddy = CaddyProcess.start(java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(Path.of("target")), "caddy-"));
        table = newTable();
    }

    @AfterAll
    static void stop() {
        caddy.close();
    }

    private static CaddyRouteTable newTable() {
        return new CaddyRouteTable(caddy.adminUri(), CaddyProcess.SERVER, List.of("127.0.0.1:" + caddy.httpPort()),
                Duration.ofSeconds(5));
    }

    @Test
    void upsertInsertsBeforeTheFallbackAndReplacesInPlace() throws Exception {
        try (var a = new dev.vibed.kube.testing.TinyUpstream("first"); var b = new dev.vibed.kube.testing.TinyUpstream("second")) {
            Route route = new Route("vibed-app-upsert", "upsert.apps.test", a.target(), Route.Kind.PROXY);
            table.upsert(route);
            assertThat(ThroughCaddy.get(caddy.httpPort(), "upsert.apps.test").body()).isEqualTo("first");
            assertThat(table.routes()).containsEntry(route.id(), route);

            Route moved = new Route(route.id(), route.host(), b.target(), Route.Kind.PROXY);
            table.upsert(moved);
            table.upsert(moved);
            assertThat(ThroughCaddy.get(caddy.httpPort(), "upsert.apps.test").body()).isEqualTo("second");
            assertThat(routeIds()).containsOnlyOnce(route.id()).endsWith(CaddyRoutes.FALLBACK_ID);
        }
    }

    @Test
    void unknownHostsGetThe404FallbackNotAnEmpty200() throws Exception {
        table.routes();
        HttpResponse<String> res = ThroughCaddy.get(caddy.httpPort(), "nosuchapp.apps.test");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.headers().firstValue("X-Vibed-Fallback")).contains("true");
    }

    @Test
    void suspendedRouteAnswersA503Page() throws Exception {
        Route route = new Route("vibed-app-sleepy", "sleepy.apps.test", null, Route.Kind.SUSPENDED);
        table.upsert(route);
        HttpResponse<String> res = ThroughCaddy.get(caddy.httpPort(), "sleepy.apps.test");
        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(res.body()).contains("suspended");
        assertThat(table.routes()).containsEntry(route.id(), route);
    }

    @Test
    void removeIsIdempotent() throws Exception {
        Route route = new Route("vibed-app-gone", "gone.apps.test", "127.0.0.1:9", Route.Kind.PROXY);
        table.upsert(route);
        table.remove(route.id());
        table.remove(route.id());
        assertThat(table.routes()).doesNotContainKey(route.id());
        assertThat(ThroughCaddy.get(caddy.httpPort(), "gone.apps.test").statusCode()).isEqualTo(404);
    }

    @Test
    void routersRacingToInsertTheSameRouteLeaveOneCopy() throws Exception {
        List<CaddyRouteTable> replicas = List.of(newTable(), newTable(), newTable(), newTable());
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
        try {
            for (int round = 0; round < 5; round++) {
                Route route = new Route("vibed-app-race" + round, "race" + round + ".apps.test", "127.0.0.1:9", Route.Kind.PROXY);
                List<Callable<Void>> calls = new ArrayList<>();
                for (CaddyRouteTable replica : replicas) {
                    calls.add(() -> {
                        replica.upsert(route);
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(calls)) {
                    f.get();
                }
                assertThat(routeIds()).containsOnlyOnce(route.id()).containsOnlyOnce(CaddyRoutes.FALLBACK_ID)
                        .endsWith(CaddyRoutes.FALLBACK_ID);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCaddyThatLostItsConfigGetsServerAndFallbackBack() throws Exception {
        // As bare as Caddy gets: only the admin endpoint.
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(caddy.adminUri().resolve("/load"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"admin\":{\"listen\":\"" + caddy.adminUri().getAuthority() + "\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(table.routes()).isEmpty();
        assertThat(routeIds()).containsExactly(CaddyRoutes.FALLBACK_ID);
        assertThat(ThroughCaddy.get(caddy.httpPort(), "any.apps.test").statusCode()).isEqualTo(404);
        try (var app = new dev.vibed.kube.testing.TinyUpstream("back")) {
            table.upsert(new Route("vibed-app-back", "back.apps.test", app.target(), Route.Kind.PROXY));
            assertThat(ThroughCaddy.get(caddy.httpPort(), "back.apps.test").body())
                    .as("the recreated server is plain HTTP, as the one it replaces").isEqualTo("back");
        }
    }

    @Test
    void aChangedBaseReplacesTheOldOneAndKeepsTheAppRoutesFirst() throws Exception {
        Route app = new Route("vibed-app-kept", "kept.apps.test", "127.0.0.1:9", Route.Kind.PROXY);
        table.upsert(app);
        CaddyBase first = CaddyBase.of(List.of(marker("vibed-base-a", "first")), errors("first"));
        CaddyBase second = CaddyBase.of(List.of(marker("vibed-base-a", "second")), errors("second"));
        CaddyRouteTable withFirst = new CaddyRouteTable(caddy.adminUri(), CaddyProcess.SERVER,
                List.of("127.0.0.1:" + caddy.httpPort()), Duration.ofSeconds(5), first);
        CaddyRouteTable withSecond = new CaddyRouteTable(caddy.adminUri(), CaddyProcess.SERVER,
                List.of("127.0.0.1:" + caddy.httpPort()), Duration.ofSeconds(5), second);

        withFirst.ensureBase();
        assertThat(routeIds()).endsWith("vibed-base-a", CaddyRoutes.FALLBACK_ID).containsOnlyOnce(app.id());
        assertThat(ThroughCaddy.get(caddy.httpPort(), "base.apps.test").body()).isEqualTo("first");
        CaddyAdminCalls settled = withFirst.adminCalls();
        withFirst.ensureBase();
        assertThat(withFirst.adminCalls().minus(settled).writes()).as("a base in place costs no write").isZero();

        withSecond.ensureBase();
        assertThat(routeIds()).containsOnlyOnce("vibed-base-a").endsWith("vibed-base-a", CaddyRoutes.FALLBACK_ID)
                .containsOnlyOnce(app.id());
        assertThat(ThroughCaddy.get(caddy.httpPort(), "base.apps.test").body()).isEqualTo("second");
        assertThat(errorsConfig()).contains("second").doesNotContain("first");
        table.remove(app.id());
        // Back to the fallback alone for the other tests.
        for (String path : List.of("/id/vibed-base-a", "/config/apps/http/servers/" + CaddyProcess.SERVER + "/errors")) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(caddy.adminUri().resolve(path)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(routeIds()).doesNotContain("vibed-base-a").endsWith(CaddyRoutes.FALLBACK_ID);
    }

    private static jakarta.json.JsonObject marker(String id, String body) {
        return jakarta.json.Json.createObjectBuilder().add("@id", id)
                .add("match", jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json.createObjectBuilder()
                        .add("host", jakarta.json.Json.createArrayBuilder().add("base.apps.test"))))
                .add("handle", jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json.createObjectBuilder()
                        .add("handler", "static_response").add("body", body)))
                .build();
    }

    private static jakarta.json.JsonObject errors(String body) {
        return jakarta.json.Json.createObjectBuilder().add("routes", jakarta.json.Json.createArrayBuilder()
                .add(jakarta.json.Json.createObjectBuilder().add("handle", jakarta.json.Json.createArrayBuilder()
                        .add(jakarta.json.Json.createObjectBuilder().add("handler", "static_response").add("body", body)))))
                .build();
    }

    private static String errorsConfig() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(caddy.adminUri()
                .resolve("/config/apps/http/servers/" + CaddyProcess.SERVER + "/errors")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> routeIds() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(caddy.adminUri()
                .resolve("/config/apps/http/servers/" + CaddyProcess.SERVER + "/routes")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> ids = new ArrayList<>();
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
            reader.readArray().forEach(v -> ids.add(CaddyRoutes.id(v)));
        }
        return ids;
    }
}
