package dev.vibed.charts;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, pinned: every Role's rules as "group/resource" to verbs, exactly. A new permission is a
 * deliberate change of this table. Each component's ServiceAccount is bound to its own Roles only.
 */
class ChartRbacTest {
    private static Chart.Rendered rendered;

    @BeforeAll
    static void render() {
        rendered = Chart.render(null);
    }

    @Test
    void theApiManagesAppsAndTheirEnvSecretsAndReadsWhatLogsNeed() {
        assertThat(rules("vibed", "vibed-apps")).isEqualTo(Map.of(
                "vibed.dev/vibedapps", Set.of("create", "get", "list", "watch", "update", "delete"),
                "vibed.dev/vibedapps/status", Set.of("get", "update"),
                "/secrets", Set.of("create", "get", "update", "delete"),
                "extensions.agents.x-k8s.io/sandboxclaims", Set.of("get", "list"),
                "extensions.agents.x-k8s.io/sandboxtemplates", Set.of("get", "list"),
                "extensions.agents.x-k8s.io/sandboxwarmpools", Set.of("get", "list"),
                "agents.x-k8s.io/sandboxes", Set.of("get"),
                "/pods", Set.of("get")));
    }

    @Test
    void theControllerManagesStatusFinalizersClaimsServicesLeasesAndEvents() {
        assertThat(rules("vibed-controller", "vibed-apps")).isEqualTo(Map.ofEntries(
                Map.entry("vibed.dev/vibedapps", Set.of("get", "list", "watch", "update", "patch", "delete")),
                Map.entry("vibed.dev/vibedapps/status", Set.of("get", "update", "patch")),
                // blockOwnerDeletion on claims and Services needs this where OwnerReferencesPermissionEnforcement runs.
                Map.entry("vibed.dev/vibedapps/finalizers", Set.of("update")),
                Map.entry("extensions.agents.x-k8s.io/sandboxclaims", Set.of("create", "get", "list", "watch", "delete")),
                Map.entry("/services", Set.of("create", "get", "list", "watch", "patch", "delete")),
                Map.entry("extensions.agents.x-k8s.io/sandboxtemplates", Set.of("get", "list", "watch")),
                // update: the leader sizes the warm pools from the claim rate
                Map.entry("extensions.agents.x-k8s.io/sandboxwarmpools", Set.of("get", "list", "watch", "update", "patch")),
                Map.entry("agents.x-k8s.io/sandboxes", Set.of("get", "list", "watch")),
                Map.entry("/pods", Set.of("get", "list", "watch")),
                Map.entry("/secrets", Set.of("get")),
                Map.entry("/events", Set.of("create", "patch")),
                Map.entry("events.k8s.io/events", Set.of("create", "patch"))));
        assertThat(rules("vibed-controller-leader", Chart.NAMESPACE)).isEqualTo(Map.of(
                "coordination.k8s.io/leases", Set.of("create", "get", "update")));
    }

    @Test
    void theRouterOnlyReadsApps() {
        assertThat(rules("vibed-router", "vibed-apps")).isEqualTo(Map.of(
                "vibed.dev/vibedapps", Set.of("get", "list", "watch")));
    }

    @Test
    void eachServiceAccountIsBoundToItsOwnRolesAndNothingIsClusterWide() {
        Map<String, Set<String>> boundRoles = new TreeMap<>();
        for (RoleBinding b : rendered.all("RoleBinding", RoleBinding.class)) {
            assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(b.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
                boundRoles.computeIfAbsent(s.getName(), k -> new TreeSet<>())
                        .add(b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName());
            });
        }
        assertThat(boundRoles).isEqualTo(Map.of(
                "vibed", Set.of("vibed-apps/vibed"),
                "vibed-controller", Set.of("vibed-apps/vibed-controller", Chart.NAMESPACE + "/vibed-controller-leader"),
                "vibed-router", Set.of("vibed-apps/vibed-router")));
        assertThat(rendered.ofKind("ClusterRole")).isEmpty();
        assertThat(rendered.ofKind("ClusterRoleBinding")).isEmpty();
        Map<String, String> accounts = new TreeMap<>();
        rendered.all("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class).forEach(d ->
                accounts.put(d.getMetadata().getName(), String.valueOf(d.getSpec().getTemplate().getSpec().getServiceAccountName())));
        assertThat(accounts).containsEntry("vibed", "vibed").containsEntry("vibed-controller", "vibed-controller")
                .containsEntry("vibed-router", "vibed-router").containsEntry("vibed-caddy", "vibed-caddy");
    }

    /** A Role's rules flattened to "apiGroup/resource" -> verbs; no wildcards, no resourceNames tricks. */
    private static Map<String, Set<String>> rules(String role, String namespace) {
        Role r = rendered.get("Role", role, Role.class);
        assertThat(r.getMetadata().getNamespace()).as("Role %s's namespace", role).isEqualTo(namespace);
        Map<String, Set<String>> out = new TreeMap<>();
        for (PolicyRule rule : r.getRules()) {
            assertThat(rule.getVerbs()).as(role).doesNotContain("*");
            assertThat(rule.getResources()).as(role).doesNotContain("*");
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    out.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return out;
    }

}
