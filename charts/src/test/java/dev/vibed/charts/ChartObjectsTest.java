package dev.vibed.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart rendered with its default, kind and production values: which objects, at which API versions, in which
 * namespaces; one SandboxTemplate and one SandboxWarmPool per enabled template; probes, resources and security
 * contexts on every container, the sandboxes' too.
 */
class ChartObjectsTest {
    private static final String WORKLOADS = "vibed-apps";

    /** The API version every kind the chart may render must have; agent-sandbox's at v1beta1 (v1alpha1 is gone in v1.0). */
    private static final Map<String, String> API_VERSIONS = Map.ofEntries(
            Map.entry("Namespace", "v1"), Map.entry("ServiceAccount", "v1"), Map.entry("Secret", "v1"),
            Map.entry("ConfigMap", "v1"), Map.entry("Service", "v1"),
            Map.entry("Deployment", "apps/v1"), Map.entry("PodDisruptionBudget", "policy/v1"),
            Map.entry("NetworkPolicy", "networking.k8s.io/v1"),
            Map.entry("Role", "rbac.authorization.k8s.io/v1"), Map.entry("RoleBinding", "rbac.authorization.k8s.io/v1"),
            Map.entry("SandboxTemplate", "extensions.agents.x-k8s.io/v1beta1"),
            Map.entry("SandboxWarmPool", "extensions.agents.x-k8s.io/v1beta1"));

    @ParameterizedTest
    @ValueSource(strings = {"", "values-kind.yaml", "values-production.yaml"})
    void everyObjectHasAKnownKindAndApiVersionAndNoClusterWideRbac(String values) {
        Chart.Rendered r = Chart.render(values.isEmpty() ? null : values);
        assertThat(r.objects()).isNotEmpty();
        for (Map<String, Object> o : r.objects()) {
            String kind = (String) o.get("kind");
            assertThat(API_VERSIONS).as("kind %s is not expected (ClusterRoles, claims, ... are not the chart's business)", kind)
                    .containsKey(kind);
            assertThat(o.get("apiVersion")).as("%s/%s", kind, Chart.Rendered.name(o)).isEqualTo(API_VERSIONS.get(kind));
            if (!kind.equals("Namespace")) {
                assertThat(Chart.Rendered.namespace(o)).as("%s/%s is namespaced", kind, Chart.Rendered.name(o))
                        .isIn(Chart.NAMESPACE, WORKLOADS);
            }
        }
        assertThat(r.ofKind("SandboxClaim")).as("claims are the controller's; never rendered (and so never with env)").isEmpty();
        assertThat(r.text()).doesNotContain("v1alpha1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values-kind.yaml", "values-production.yaml"})
    void controlPlaneInTheReleaseNamespaceSandboxesInTheWorkloadsNamespace(String values) {
        Chart.Rendered r = Chart.render(values.isEmpty() ? null : values);
        for (String name : List.of("vibed", "vibed-controller", "vibed-router", "vibed-caddy")) {
            assertThat(Chart.Rendered.namespace(r.get("Deployment", name))).isEqualTo(Chart.NAMESPACE);
        }
        r.ofKind("SandboxTemplate").forEach(o -> assertThat(Chart.Rendered.namespace(o)).isEqualTo(WORKLOADS));
        r.ofKind("SandboxWarmPool").forEach(o -> assertThat(Chart.Rendered.namespace(o)).isEqualTo(WORKLOADS));
        r.ofKind("Secret").stream().filter(o -> Chart.Rendered.name(o).equals("vibed-s3"))
                .forEach(o -> assertThat(Chart.Rendered.namespace(o)).isEqualTo(Chart.NAMESPACE));
    }

    @Test
    void oneTemplateAndOnePoolPerEnabledTemplateWithItsReplicas() {
        Chart.Rendered kind = Chart.render("values-kind.yaml");
        assertThat(names(kind, "SandboxTemplate")).containsExactly("node", "python", "static");
        assertThat(names(kind, "SandboxWarmPool")).containsExactly("node", "python", "static");

        Chart.Rendered prod = Chart.render("values-production.yaml");
        assertThat(names(prod, "SandboxTemplate")).containsExactly("node", "python", "static", "workerd");
        Map<String, Object> pool = prod.get("SandboxWarmPool", "node");
        assertThat(at(pool, "spec", "replicas")).isEqualTo(10);
        assertThat(at(pool, "spec", "sandboxTemplateRef", "name")).isEqualTo("node");
        assertThat(at(pool, "spec", "updateStrategy", "type")).isEqualTo("OnReplenish");
        assertThat(at(pool, "spec", "readinessGracePeriodSeconds")).isEqualTo(30);
        assertThat(at(kind.get("SandboxWarmPool", "node"), "spec")).as("not set unless asked (agent-sandbox >= 1.0.12)")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKey("readinessGracePeriodSeconds");

        Chart.Rendered custom = Chart.render(null, Map.of("templates.python.enabled", "false", "templates.static.poolReplicas", "7"));
        assertThat(names(custom, "SandboxTemplate")).containsExactly("node", "static", "workerd");
        assertThat(at(custom.get("SandboxWarmPool", "static"), "spec", "replicas")).isEqualTo(7);
        assertThat(at(custom.get("SandboxWarmPool", "static"), "metadata", "annotations", "vibed.dev/warm-min"))
                .as("the floor the controller keeps when it sizes the pool").isEqualTo("7");
    }

    @Test
    void theControllerSizesTheWarmPoolsWithinTheValuesLimits() {
        Chart.Rendered r = Chart.render(null, Map.of("controller.warmPool.max", "20"));
        Container controller = r.get("Deployment", "vibed-controller", Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        Map<String, String> env = new java.util.HashMap<>();
        controller.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env).containsEntry("VIBED_WARM_MIN", "1").containsEntry("VIBED_WARM_MAX", "20")
                .containsEntry("VIBED_WARM_WINDOW", "1m").containsEntry("VIBED_WARM_START_TIME", "10s");
    }

    @Test
    void sandboxTemplatesAreUnmanagedRunTheAgentAsPid1OnTheirPortsWithAReadOnlyRoot() {
        Chart.Rendered prod = Chart.render("values-production.yaml");
        for (Map<String, Object> t : prod.ofKind("SandboxTemplate")) {
            String name = Chart.Rendered.name(t);
            assertThat(at(t, "spec", "networkPolicyManagement")).as(name).isEqualTo("Unmanaged");
            assertThat(cast(at(t, "spec"))).as("%s: no env injection from claims", name).doesNotContainKey("envVarsInjectionPolicy");
            PodSpec pod = Chart.Rendered.as(cast(at(t, "spec", "podTemplate", "spec")), PodSpec.class);
            assertThat(pod.getRuntimeClassName()).as(name).isEqualTo("kata-fc");
            assertThat(pod.getAutomountServiceAccountToken()).as("%s: user code gets no Kubernetes credentials", name).isFalse();
            assertThat(pod.getShareProcessNamespace()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getContainers()).as(name).singleElement().satisfies(c -> {
                assertThat(c.getCommand()).as("%s: the image's exec-form entrypoint runs the agent as PID 1", name).isNullOrEmpty();
                assertThat(c.getArgs()).containsSubsequence("--control-port", "9000").containsSubsequence("--app-port", "8080")
                        .containsSubsequence("--workspace", "/workspace");
                assertThat(c.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
                        .containsExactlyInAnyOrder("agent=9000", "app=8080");
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getVolumeMounts()).anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/workspace");
                    assertThat(m.getName()).isEqualTo("workspace");
                });
                assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("VIBED_AGENT_TOKEN")).singleElement().satisfies(e -> {
                    assertThat(e.getValue()).as("from the Secret, never a literal").isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("vibed-agent-token");
                });
            });
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo("workspace");
                assertThat(v.getEmptyDir()).isNotNull();
            });
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) at(t, "spec", "podTemplate", "metadata", "annotations");
            assertThat(annotations).containsEntry("vibed.dev/agent-port", "9000").containsEntry("vibed.dev/app-port", "8080");
        }
        Chart.Rendered kind = Chart.render("values-kind.yaml");
        kind.ofKind("SandboxTemplate").forEach(t -> assertThat(cast(at(t, "spec", "podTemplate", "spec")))
                .as("kind: the node's default runtime").doesNotContainKey("runtimeClassName"));
    }

    @Test
    void nodeAndPythonSandboxesPreStartTheirRuntimeTheOthersDoNot() {
        Chart.Rendered prod = Chart.render("values-production.yaml");
        Map<String, List<String>> args = new java.util.TreeMap<>();
        for (Map<String, Object> t : prod.ofKind("SandboxTemplate")) {
            PodSpec pod = Chart.Rendered.as(cast(at(t, "spec", "podTemplate", "spec")), PodSpec.class);
            args.put(Chart.Rendered.name(t), pod.getContainers().getFirst().getArgs());
        }
        assertThat(args.get("node")).containsSubsequence("--warm-runtime", "node");
        assertThat(args.get("python")).containsSubsequence("--warm-runtime", "python");
        assertThat(args.get("static")).doesNotContain("--warm-runtime");
        assertThat(args.get("workerd")).doesNotContain("--warm-runtime");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values-kind.yaml", "values-production.yaml"})
    void everyContainerHasProbesResourcesAndARestrictedSecurityContext(String values) {
        Chart.Rendered r = Chart.render(values.isEmpty() ? null : values);
        List<String> checked = new ArrayList<>();
        for (Deployment d : r.all("Deployment", Deployment.class)) {
            checkPod(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec(), checked);
        }
        for (Map<String, Object> t : r.ofKind("SandboxTemplate")) {
            checkPod("SandboxTemplate " + Chart.Rendered.name(t), Chart.Rendered.as(cast(at(t, "spec", "podTemplate", "spec")), PodSpec.class), checked);
        }
        assertThat(checked).contains("vibed/vibed", "vibed-controller/vibed-controller", "vibed-router/vibed-router",
                "vibed-caddy/caddy", "SandboxTemplate static/agent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values-production.yaml"})
    void replicatedComponentsHaveAPodDisruptionBudgetAndScrapeAnnotations(String values) {
        Chart.Rendered r = Chart.render(values.isEmpty() ? null : values);
        Set<String> replicated = new TreeSet<>();
        for (Deployment d : r.all("Deployment", Deployment.class)) {
            String name = d.getMetadata().getName();
            if (d.getSpec().getReplicas() > 1) {
                replicated.add(name);
                PodDisruptionBudget pdb = r.get("PodDisruptionBudget", name, PodDisruptionBudget.class);
                assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
                assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
            }
            if (!name.equals("vibed-minio")) {
                Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
                assertThat(annotations).as(name).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/metrics");
                int port = Integer.parseInt(annotations.get("prometheus.io/port"));
                assertThat(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts())
                        .as("%s scrapes a port it exposes", name).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(port));
            }
        }
        assertThat(replicated).contains("vibed", "vibed-controller", "vibed-router");
        assertThat(names(r, "PodDisruptionBudget")).containsExactlyInAnyOrderElementsOf(replicated);
    }

    @Test
    void secretsAndSettingsReachTheContainersAsSecretRefsNeverAsLiterals() {
        Chart.Rendered r = Chart.render("values-production.yaml");
        Container api = r.get("Deployment", "vibed", Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, String> plain = new java.util.HashMap<>();
        Map<String, String> fromSecret = new java.util.HashMap<>();
        api.getEnv().forEach(e -> {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                fromSecret.put(e.getName(), e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey());
            } else if (e.getValue() != null) {
                plain.put(e.getName(), e.getValue());
            }
        });
        assertThat(plain).containsEntry("VIBED_AUTH", "oidc")
                .containsEntry("VIBED_OIDC_ISSUER", "https://login.example.com/realms/vibed")
                .containsEntry("VIBED_OIDC_AUDIENCE", "vibed").containsEntry("VIBED_OIDC_CLIENT_ID", "vibed-dashboard")
                .containsEntry("VIBED_S3_ENDPOINT", "https://s3.eu-central-1.amazonaws.com")
                .containsEntry("VIBED_NAMESPACE", WORKLOADS).containsEntry("VIBED_DOMAIN", "apps.example.com")
                .containsEntry("VIBED_PROXY_ADDRESS", "vibed-caddy.vibed.svc.cluster.local:80");
        assertThat(fromSecret).containsEntry("VIBED_OIDC_CLIENT_SECRET", "vibed-oidc/client-secret")
                .containsEntry("VIBED_S3_ACCESS_KEY", "vibed-s3-credentials/access-key")
                .containsEntry("VIBED_S3_SECRET_KEY", "vibed-s3-credentials/secret-key");
        assertThat(r.ofKind("Secret")).as("production names its own Secrets").isEmpty();

        Chart.Rendered keys = Chart.render(null, Map.of("api.auth.mode", "apikey", "api.auth.apiKeys.keys[0]", "k-123 alice admin",
                "agent.token", "a-fixed-token"));
        Container apiWithKeys = keys.get("Deployment", "vibed", Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(apiWithKeys.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VIBED_API_KEYS_FILE");
            assertThat(e.getValue()).isEqualTo("/etc/vibed/api-keys/keys");
        });
        assertThat(apiWithKeys.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/vibed/api-keys"));
        assertThat(keys.get("Secret", "vibed-api-keys").toString()).contains("k-123 alice admin");
        assertThat(Chart.Rendered.namespace(keys.get("Secret", "vibed-agent-token"))).as("where the sandbox pods read it").isEqualTo(WORKLOADS);
    }

    @Test
    void notesTellTheUrlSchemeTheFirstDeployAndTheLabelDomainRule() {
        String notes = Chart.notes("values-kind.yaml");
        assertThat(notes).contains("http://<app-id>.127.0.0.1.nip.io:8080", "/v1/deploy", "kubectl apply -f charts/vibed/crds/",
                "allowed-label-domains", "agents.x-k8s.io/sandbox-name-hash", "api.auth.mode=none");
        assertThat(Chart.notes("values-production.yaml")).contains("https://<app-id>.apps.example.com")
                .doesNotContain("api.auth.mode=none");
    }

    private static void checkPod(String owner, PodSpec pod, List<String> checked) {
        assertThat(pod.getSecurityContext()).as(owner).isNotNull();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(owner).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(owner).isEqualTo("RuntimeDefault");
        List<Container> containers = new ArrayList<>(pod.getContainers());
        containers.addAll(pod.getInitContainers());
        for (Container c : containers) {
            String what = owner + "/" + c.getName();
            assertThat(c.getLivenessProbe()).as("%s liveness", what).isNotNull();
            assertThat(c.getReadinessProbe()).as("%s readiness", what).isNotNull();
            assertThat(c.getResources().getRequests()).as("%s requests", what).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as("%s limits", what).containsKeys("cpu", "memory");
            var sc = c.getSecurityContext();
            assertThat(sc).as(what).isNotNull();
            assertThat(sc.getRunAsNonRoot()).as("%s non-root", what).isTrue();
            assertThat(sc.getReadOnlyRootFilesystem()).as("%s read-only root", what).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as("%s no privilege escalation", what).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as("%s drops all capabilities", what).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).as(what).isNullOrEmpty();
            assertThat(sc.getSeccompProfile().getType()).as(what).isEqualTo("RuntimeDefault");
            assertThat(sc.getPrivileged()).as(what).isNotEqualTo(Boolean.TRUE);
            checked.add(what);
        }
    }

    private static List<String> names(Chart.Rendered r, String kind) {
        return r.ofKind(kind).stream().map(Chart.Rendered::name).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> object, String... path) {
        Object current = object;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
