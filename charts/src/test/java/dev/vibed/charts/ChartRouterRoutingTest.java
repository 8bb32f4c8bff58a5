package dev.vibed.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vibed-router's routing mode in the chart: wildcard by default, with the page server Caddy's error handling
 * proxies to (its Service, its port, the address the router tells Caddy) reachable from Caddy only; per-app
 * routing renders none of that.
 */
class ChartRouterRoutingTest {

    @Test
    void wildcardRoutingByDefaultWithAPageServerOnlyCaddyReaches() {
        Chart.Rendered r = Chart.render(null);
        Container router = router(r);
        Map<String, String> env = env(router);
        assertThat(env).containsEntry("VIBED_ROUTING", "wildcard").containsEntry("VIBED_CLUSTER_DOMAIN", "cluster.local")
                .containsEntry("VIBED_PAGES_PORT", "8083")
                .containsEntry("VIBED_PAGES_DIAL", "vibed-router-pages." + Chart.NAMESPACE + ".svc.cluster.local:8083");
        assertThat(router.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("pages");
            assertThat(p.getContainerPort()).isEqualTo(8083);
        });

        Service pages = r.get("Service", "vibed-router-pages", Service.class);
        assertThat(pages.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "router");
        assertThat(pages.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8083);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("pages");
        });

        NetworkPolicy policy = r.get("NetworkPolicy", "vibed-router", NetworkPolicy.class);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "router");
        List<String> open = new ArrayList<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            String who = rule.getFrom() == null || rule.getFrom().isEmpty() ? "anyone"
                    : rule.getFrom().stream().map(f -> f.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")).toList().toString();
            rule.getPorts().forEach(p -> open.add(p.getPort().getIntVal() + "<-" + who));
        }
        assertThat(open).containsExactlyInAnyOrder("8082<-anyone", "8083<-[caddy]");
    }

    @Test
    void perAppRoutingRendersNoPageServer() {
        Chart.Rendered r = Chart.render(null, Map.of("router.routing", "per-app"));
        assertThat(env(router(r))).containsEntry("VIBED_ROUTING", "per-app").doesNotContainKey("VIBED_PAGES_DIAL");
        assertThat(r.summary()).doesNotContain("Service/vibed-router-pages", "NetworkPolicy/vibed-router");
    }

    private static Container router(Chart.Rendered r) {
        return r.get("Deployment", "vibed-router", Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
