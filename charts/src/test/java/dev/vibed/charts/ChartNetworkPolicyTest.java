package dev.vibed.charts;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a sandbox can reach and what can reach it, read from the rendered NetworkPolicies: in, the agent port only
 * from the controller and the API, the app port only from Caddy; out, DNS, S3 and the internet minus private
 * ranges (or nothing else at all); Caddy's admin port only from the router.
 */
class ChartNetworkPolicyTest {

    @Test
    void aSandboxAdmitsOnlyTheControllerAndTheApiOnTheAgentPortAndCaddyOnTheAppPort() {
        NetworkPolicy policy = Chart.render(null).get("NetworkPolicy", "vibed-sandboxes", NetworkPolicy.class);
        assertThat(policy.getMetadata().getNamespace()).isEqualTo("vibed-apps");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "sandbox");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");

        List<String> admitted = new ArrayList<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            assertThat(rule.getFrom()).as("no rule admits everyone").isNotEmpty();
            assertThat(rule.getPorts()).as("no rule admits every port").isNotEmpty();
            for (NetworkPolicyPeer from : rule.getFrom()) {
                assertThat(from.getIpBlock()).isNull();
                assertThat(from.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", Chart.NAMESPACE));
                rule.getPorts().forEach(p -> admitted.add(from.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")
                        + ":" + p.getPort().getIntVal()));
            }
        }
        assertThat(admitted).containsExactlyInAnyOrder("controller:9000", "api:9000", "caddy:8080");
        // The pods these rules name are the chart's own pods.
        Chart.Rendered r = Chart.render(null);
        assertThat(r.get("Deployment", "vibed-controller", io.fabric8.kubernetes.api.model.apps.Deployment.class)
                .getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "controller");
        assertThat(r.get("Deployment", "vibed-caddy", io.fabric8.kubernetes.api.model.apps.Deployment.class)
                .getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "caddy");
        @SuppressWarnings("unchecked")
        Map<String, String> sandboxLabels = (Map<String, String>) ChartObjectsTest.at(r.get("SandboxTemplate", "static"),
                "spec", "podTemplate", "metadata", "labels");
        assertThat(sandboxLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    }

    @Test
    void aSandboxReachesDnsS3AndTheInternetButNoPrivateRange() {
        NetworkPolicy policy = Chart.render("values-kind.yaml").get("NetworkPolicy", "vibed-sandboxes", NetworkPolicy.class);
        List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
        assertThat(egress).anySatisfy(rule -> {
            assertThat(rule.getTo()).singleElement().satisfies(to -> {
                assertThat(to.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "kube-system");
                assertThat(to.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
            });
            assertThat(rule.getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                    .containsExactlyInAnyOrder("UDP/53", "TCP/53");
        });
        assertThat(egress).as("kind: the in-cluster MinIO for source downloads").anySatisfy(rule -> {
            assertThat(rule.getTo()).singleElement().satisfies(to ->
                    assertThat(to.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "minio"));
            assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9000));
        });
        NetworkPolicyEgressRule internet = egress.stream()
                .filter(rule -> rule.getTo().stream().anyMatch(t -> t.getIpBlock() != null)).findFirst().orElseThrow();
        assertThat(internet.getTo()).extracting(t -> t.getIpBlock().getCidr()).containsExactly("0.0.0.0/0", "::/0");
        assertThat(internet.getTo().get(0).getIpBlock().getExcept())
                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10");
        assertThat(internet.getTo().get(1).getIpBlock().getExcept()).contains("fc00::/7", "fe80::/10");
        for (NetworkPolicyEgressRule rule : egress) {
            for (NetworkPolicyPeer to : rule.getTo()) {
                if (to.getPodSelector() != null) {
                    assertThat(to.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                            .as("a sandbox reaches no vibeD component, no Caddy and no other sandbox")
                            .isNotIn("api", "controller", "router", "caddy", "sandbox");
                }
            }
        }

        NetworkPolicy withPlane = Chart.render(null, Map.of("sandboxes.egress.controlPlaneCidrs[0]", "203.0.113.10/32"))
                .get("NetworkPolicy", "vibed-sandboxes", NetworkPolicy.class);
        assertThat(withPlane.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getTo()).anySatisfy(to -> {
            assertThat(to.getIpBlock()).isNotNull();
            assertThat(to.getIpBlock().getExcept()).contains("203.0.113.10/32");
        }));
    }

    @Test
    void egressNoneLeavesOnlyDnsAndS3() {
        NetworkPolicy policy = Chart.render(null, Map.of("sandboxes.egress.mode", "none", "sandboxes.egress.s3Cidrs[0]", "10.20.0.5/32"))
                .get("NetworkPolicy", "vibed-sandboxes", NetworkPolicy.class);
        List<String> peers = new ArrayList<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            for (NetworkPolicyPeer to : rule.getTo()) {
                peers.add(to.getIpBlock() != null ? to.getIpBlock().getCidr()
                        : to.getPodSelector().getMatchLabels().getOrDefault("app.kubernetes.io/component",
                        to.getPodSelector().getMatchLabels().toString()));
            }
        }
        assertThat(peers).containsExactlyInAnyOrder("{k8s-app=kube-dns}", "minio", "10.20.0.5/32");
    }

    @Test
    void caddysAdminPortAdmitsOnlyTheRouter() {
        NetworkPolicy policy = Chart.render("values-production.yaml").get("NetworkPolicy", "vibed-caddy", NetworkPolicy.class);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "caddy");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<String> open = new ArrayList<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            String who = rule.getFrom() == null || rule.getFrom().isEmpty() ? "anyone"
                    : rule.getFrom().stream().map(f -> f.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")).toList().toString();
            rule.getPorts().forEach(p -> open.add(p.getPort().getIntVal() + "<-" + who));
        }
        assertThat(open).containsExactlyInAnyOrder("8080<-anyone", "8443<-anyone", "9180<-anyone", "2019<-[router]");
    }
}
