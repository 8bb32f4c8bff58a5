package dev.vibed.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vibed.kube.config.Settings;
import dev.vibed.kube.testing.TinyUpstream;
import dev.vibed.router.RouterConfig;
import dev.vibed.router.caddy.CaddyBase;
import dev.vibed.router.caddy.CaddyRouteTable;
import dev.vibed.router.testing.LoopbackApps;
import dev.vibed.router.testing.LoopbackDns;
import dev.vibed.router.wildcard.WildcardRouteTable;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With wildcard routing the chart's Caddy ConfigMap holds the base the router programs (wildcard route, fallback,
 * errors handling), so a Caddy that restarts from it serves every app at once instead of after the router's next
 * resync. One source of truth: the expected JSON is the router's own {@link WildcardRouteTable#base}, built from
 * the settings the chart gives the router's container.
 */
class CaddyWildcardBaseTest {

    static Stream<Arguments> charts() {
        return Stream.of(
                Arguments.of("defaults", Chart.render(null)),
                Arguments.of("values-kind.yaml", Chart.render("values-kind.yaml")),
                Arguments.of("values-production.yaml", Chart.render("values-production.yaml")),
                Arguments.of("another domain, cluster domain, namespace and page port", Chart.render(null, Map.of(
                        "domain", "a.b.example.org", "clusterDomain", "corp.internal",
                        "workloads.namespace", "tenant-apps", "router.pagesPort", "9099"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void theConfigMapHoldsTheRoutersWildcardBase(String values, Chart.Rendered chart) throws Exception {
        CaddyBase base = routerBase(chart);
        JsonNode server = Serialization.jsonMapper().readTree(ChartCaddy.config(chart)).at("/apps/http/servers/vibed");

        assertThat(server.get("routes")).as("the wildcard, then the fallback").isEqualTo(json(base.tail().toString()));
        assertThat(server.get("errors")).as("the page server behind the errors handling").isEqualTo(json(base.errors().toString()));
    }

    @Test
    void perAppRoutingShipsTheFallbackOnly() throws Exception {
        Chart.Rendered chart = Chart.render("values-kind.yaml", Map.of("router.routing", "per-app"));
        JsonNode server = Serialization.jsonMapper().readTree(ChartCaddy.config(chart)).at("/apps/http/servers/vibed");
        assertThat(server.get("routes")).isEqualTo(json(CaddyBase.fallbackOnly().tail().toString()));
        assertThat(server.has("errors")).isFalse();
    }

    /**
     * Caddy started from the ConfigMap alone (no router has called its admin API yet) reaches a Ready app through
     * its Service name and sends a host whose Service does not resolve to the page server. The cluster's DNS, the
     * Service port and the page server are played on loopback; the rest of the config is the chart's.
     */
    @Test
    void aCaddyStartedFromTheConfigMapServesAppsBeforeAnyRouterCall() throws Exception {
        Chart.Rendered chart = Chart.render("values-kind.yaml");
        RouterConfig router = routerConfig(chart);
        String suffix = "." + router.namespace() + ".svc." + router.clusterDomain();
        try (LoopbackDns dns = new LoopbackDns();
             LoopbackApps services = new LoopbackApps(dns, suffix);
             TinyUpstream pages = new TinyUpstream("the page server")) {
            services.serve("abc123def456", "hello from the app's Service");
            try (ChartCaddy caddy = ChartCaddy.start(ChartCaddy.config(chart), root -> {
                ObjectNode vibed = (ObjectNode) root.at("/apps/http/servers/vibed");
                ObjectNode upstreams = (ObjectNode) vibed.at("/routes/0/handle/0/dynamic_upstreams");
                upstreams.put("port", String.valueOf(services.port()));
                upstreams.putObject("resolver").set("addresses", Serialization.jsonMapper().createArrayNode().add(dns.address()));
                ((ObjectNode) vibed.at("/errors/routes/0/handle/0/upstreams/0")).put("dial", pages.target());
            })) {
                HttpResponse<String> app = caddy.get(caddy.http, "/", router.urls().host("abc123def456"));
                assertThat(app.statusCode()).isEqualTo(200);
                assertThat(app.body()).isEqualTo("hello from the app's Service");

                HttpResponse<String> unknown = caddy.get(caddy.http, "/", router.urls().host("nosuchapp000"));
                assertThat(unknown.body()).as("no Service: the page server answers").isEqualTo("the page server");

                // A router with the same stand-ins finds its base in place: its resync writes nothing.
                RouterConfig standIn = router.wildcard(List.of(dns.address()), "127.0.0.1", 0, pages.target())
                        .services(router.clusterDomain(), services.port());
                CaddyRouteTable table = new CaddyRouteTable(URI.create("http://127.0.0.1:" + caddy.admin), router.caddyServer(),
                        router.caddyListen(), Duration.ofSeconds(5), WildcardRouteTable.base(standIn.wildcardRoutes(0)));
                table.ensureBase();
                assertThat(table.adminCalls().reads()).as("it looked").isPositive();
                assertThat(table.adminCalls().writes()).as("admin writes to restore the base").isZero();
            }
        }
    }

    /** The base vibed-router programs with the settings the chart gives its container. */
    private static CaddyBase routerBase(Chart.Rendered chart) {
        return WildcardRouteTable.base(routerConfig(chart).wildcardRoutes(0));
    }

    private static RouterConfig routerConfig(Chart.Rendered chart) {
        Deployment deployment = chart.get("Deployment", "vibed-router", Deployment.class);
        Map<String, String> env = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        RouterConfig config = RouterConfig.from(new Settings(Map.of(), env));
        assertThat(config.routing()).isEqualTo(RouterConfig.Routing.WILDCARD);
        assertThat(config.pagesDial()).as("the chart names the page server's Service").isNotNull();
        return config;
    }

    private static JsonNode json(String text) throws Exception {
        return Serialization.jsonMapper().readTree(text);
    }
}
