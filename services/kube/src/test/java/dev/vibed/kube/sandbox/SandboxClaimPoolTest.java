package dev.vibed.kube.sandbox;

import dev.vibed.core.app.App;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.NameRef;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxClaimStatus;
import dev.vibed.kube.agentsandbox.SandboxRef;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxTemplateSpec;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.agentsandbox.SandboxWarmPoolSpec;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.store.KubeAppStore;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.SampleApps;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool against the mock API server; the test plays agent-sandbox by writing claim status by hand. */
class SandboxClaimPoolTest {
    private static final String NS = "vibed-apps";
    private static KubeMock kube;
    private static KubernetesClient client;
    private static SandboxClaimPool pool;
    private static KubeAppStore store;

    @BeforeAll
    static void start() {
        kube = KubeMock.start(NS);
        client = kube.client();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(AgentTokens.DEFAULT_SECRET).endMetadata()
                .withStringData(Map.of(AgentTokens.KEY, "s3cret")).build()).create();
        template("static");
        warmPool("static-pool", "static");
        pool = new SandboxClaimPool(kube.newClient(), NS,
                new AgentTokens(kube.newClient(), NS, AgentTokens.DEFAULT_SECRET, Duration.ofSeconds(30), Clock.systemUTC()));
        store = new KubeAppStore(kube.newClient(), NS);
    }

    @AfterAll
    static void stop() {
        store.close();
        kube.close();
    }

    @Test
    void templatesAreCheckedByExistence() {
        assertThat(pool.hasTemplate("static")).isTrue();
        assertThat(pool.hasTemplate("python")).isFalse();
    }

    @Test
    void claimCreatesAWarmPoolClaimWithOurLabelsAndNoEnvThenBindsToThePodsAddress() {
        App app = store.create(SampleApps.app("alice", "claimed", "static", SampleApps.sha('1')));
        String key = app.id() + "-v1";
        Map<String, String> labels = Map.of(AgentSandbox.APP_LABEL, app.id(), AgentSandbox.VERSION_LABEL, "1");

        assertThat(pool.claim(key, "static", labels)).isInstanceOf(ClaimResult.Pending.class);
        SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(NS).withName(key).get();
        assertThat(claim.getSpec().getWarmPoolRef().getName()).as("the pool that boots the template").isEqualTo("static-pool");
        assertThat(claim.getMetadata().getLabels())
                .containsEntry(AgentSandbox.APP_LABEL, app.id()).containsEntry(AgentSandbox.VERSION_LABEL, "1")
                .containsEntry(AgentSandbox.CLAIM_LABEL, key);
        assertThat(claim.getSpec().getAdditionalPodMetadata())
                .as("no pod labels: agent-sandbox rejects domains outside its allow-list (stock: sandbox.users.io only)").isNull();
        assertThat(Serialization.asJson(claim.getSpec())).as("env on a claim forces a cold start").doesNotContain("env");
        assertThat(claim.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> {
                    assertThat(o.getKind()).isEqualTo(VibedApp.KIND);
                    assertThat(o.getName()).isEqualTo(app.id());
                    assertThat(o.getController()).isTrue();
                });
        assertThat(pool.claim(key, "static", labels)).as("idempotent").isInstanceOf(ClaimResult.Pending.class);
        assertThat(pool.claimKeys()).contains(key);
        assertThat(pool.lease(key)).isEmpty();

        bind(key, "sb-1", "10.1.2.3", Map.of(AgentSandbox.AGENT_PORT_ANNOTATION, "19000", AgentSandbox.APP_PORT_ANNOTATION, "18080"));
        ClaimResult bound = pool.claim(key, "static", labels);
        assertThat(bound).isInstanceOf(ClaimResult.Bound.class);
        var lease = ((ClaimResult.Bound) bound).lease();
        assertThat(lease.sandboxName()).isEqualTo("sb-1");
        assertThat(lease.agent().controlUri()).hasToString("http://10.1.2.3:19000");
        assertThat(lease.agent().token()).isEqualTo("s3cret");
        assertThat(lease.appHost()).isEqualTo("10.1.2.3");
        assertThat(lease.appPort()).isEqualTo(18080);
        assertThat(pool.lease(key)).contains(lease);

        pool.release(key);
        assertThat(client.resources(SandboxClaim.class).inNamespace(NS).withName(key).get()).isNull();
        assertThat(pool.claimKeys()).doesNotContain(key);
        pool.release(key);
    }

    @Test
    void withoutAnnotationsTheAgentAndAppUseTheirStandardPorts() {
        App app = store.create(SampleApps.app("alice", "defaults", "static", SampleApps.sha('2')));
        String key = app.id() + "-v1";
        pool.claim(key, "static", Map.of(AgentSandbox.APP_LABEL, app.id()));
        bind(key, "sb-2", "10.1.2.4", Map.of());
        var lease = ((ClaimResult.Bound) pool.claim(key, "static", Map.of())).lease();
        assertThat(lease.agent().controlUri()).hasToString("http://10.1.2.4:9000");
        assertThat(lease.appPort()).isEqualTo(8080);
    }

    @Test
    void theLaunchTypeIsReadFromTheSandboxWhereAgentSandboxWritesIt() {
        App app = store.create(SampleApps.app("alice", "chilly", "static", SampleApps.sha('5')));
        String key = app.id() + "-v1";
        pool.claim(key, "static", Map.of(AgentSandbox.APP_LABEL, app.id()));
        bind(key, "sb-cold", "10.1.2.9", Map.of());
        Sandbox sandbox = client.resources(Sandbox.class).inNamespace(NS).withName("sb-cold").get();
        sandbox.getMetadata().setLabels(Map.of(AgentSandbox.LAUNCH_TYPE_LABEL, "cold"));
        client.resources(Sandbox.class).inNamespace(NS).resource(sandbox).update();
        assertThat(pool.lease(key)).hasValueSatisfying(l -> assertThat(l.cold()).isTrue());
    }

    @Test
    void missingTemplatesAndPoolsAreRetriedWithBackoffAsAgentSandboxDoes() {
        App app = store.create(SampleApps.app("alice", "patient", "static", SampleApps.sha('6')));
        String key = app.id() + "-v1";
        pool.claim(key, "static", Map.of(AgentSandbox.APP_LABEL, app.id()));
        reject(key, "TemplateNotFound", "SandboxTemplate static not found", Instant.now().minusSeconds(10));
        assertThat(pool.claim(key, "static", Map.of())).isInstanceOfSatisfying(ClaimResult.Pending.class, p -> {
            assertThat(p.reason()).isEqualTo("TemplateNotFound");
            assertThat(p.retryAfter()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
        });

        template("lonely");
        assertThat(pool.claim("x-v1", "lonely", Map.of())).as("no pool yet: our own pre-check retries too")
                .isInstanceOfSatisfying(ClaimResult.Pending.class, p -> {
                    assertThat(p.reason()).isEqualTo("WarmPoolNotFound");
                    assertThat(p.message()).contains("no SandboxWarmPool");
                    assertThat(p.retryAfter()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
                });
        warmPool("lonely", "lonely");
        assertThat(pool.claim("x-v1", "lonely", Map.of())).isInstanceOfSatisfying(ClaimResult.Pending.class,
                p -> assertThat(p.reason()).isEqualTo(ClaimResult.Pending.CLAIMING));
        assertThat(client.resources(SandboxClaim.class).inNamespace(NS).withName("x-v1").get()).isNotNull();
        pool.release("x-v1");
    }

    @Test
    void aReconcilerErrorIsWaitedOutOnlyForTheGrace() {
        App app = store.create(SampleApps.app("alice", "erratic", "static", SampleApps.sha('7')));
        String key = app.id() + "-v1";
        pool.claim(key, "static", Map.of(AgentSandbox.APP_LABEL, app.id()));
        reject(key, "ReconcilerError", "label conflict", Instant.now());
        assertThat(pool.claim(key, "static", Map.of())).isInstanceOf(ClaimResult.Pending.class);
        reject(key, "ReconcilerError", "label conflict", Instant.now().minus(SandboxClaimPool.DEFAULT_ERROR_GRACE).minusSeconds(1));
        assertThat(pool.claim(key, "static", Map.of())).isInstanceOfSatisfying(ClaimResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("ClaimFailed");
            assertThat(f.message()).contains("ReconcilerError", "label conflict");
        });
    }

    @Test
    void aTemplateLeftAtManagedNetworkPolicyFailsWithAClearReason() {
        SandboxTemplate t = new SandboxTemplate();
        t.setMetadata(new ObjectMetaBuilder().withName("managed").withNamespace(NS).build());
        t.setSpec(new SandboxTemplateSpec());
        client.resources(SandboxTemplate.class).inNamespace(NS).resource(t).create();
        warmPool("managed", "managed");
        assertThat(pool.claim("m-v1", "managed", Map.of())).isInstanceOfSatisfying(ClaimResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(SandboxClaimPool.REASON_NETWORK_POLICY_MANAGED);
            assertThat(f.message()).contains("networkPolicyManagement", "Unmanaged");
        });
        assertThat(client.resources(SandboxClaim.class).inNamespace(NS).withName("m-v1").get()).as("nothing claimed").isNull();
    }

    @Test
    void aClaimAgentSandboxRejectedFailsWithItsReasonAndWhatToDo() {
        App app = store.create(SampleApps.app("alice", "rejected", "static", SampleApps.sha('3')));
        String key = app.id() + "-v1";
        pool.claim(key, "static", Map.of(AgentSandbox.APP_LABEL, app.id()));
        SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(NS).withName(key).get();
        SandboxClaimStatus status = new SandboxClaimStatus();
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False").withReason("InvalidMetadata")
                .withMessage("label domain vibed.dev is not allowed").build()));
        claim.setStatus(status);
        client.resources(SandboxClaim.class).inNamespace(NS).resource(claim).updateStatus();

        ClaimResult failed = pool.claim(key, "static", Map.of());
        assertThat(failed).isInstanceOfSatisfying(ClaimResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("InvalidMetadata");
            assertThat(f.message()).contains("vibed.dev", "allowed-label-domains", "agent-sandbox-config");
        });
    }

    private static void reject(String claimKey, String reason, String message, Instant since) {
        SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(NS).withName(claimKey).get();
        SandboxClaimStatus status = new SandboxClaimStatus();
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False").withReason(reason)
                .withMessage(message).withLastTransitionTime(since.toString()).build()));
        claim.setStatus(status);
        client.resources(SandboxClaim.class).inNamespace(NS).resource(claim).updateStatus();
    }

    private static void template(String name) {
        SandboxTemplate t = new SandboxTemplate();
        t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        t.setSpec(new SandboxTemplateSpec());
        t.getSpec().setAdditionalProperty("networkPolicyManagement", "Unmanaged");
        client.resources(SandboxTemplate.class).inNamespace(NS).resource(t).create();
    }

    private static void warmPool(String name, String template) {
        SandboxWarmPool p = new SandboxWarmPool();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        SandboxWarmPoolSpec spec = new SandboxWarmPoolSpec();
        spec.setReplicas(1);
        spec.setSandboxTemplateRef(new NameRef(template));
        p.setSpec(spec);
        client.resources(SandboxWarmPool.class).inNamespace(NS).resource(p).create();
    }

    /** What agent-sandbox does when it binds: a Sandbox, its pod (with the claim's labels), the claim's status. */
    private static void bind(String claimKey, String sandboxName, String ip, Map<String, String> podAnnotations) {
        Sandbox sandbox = new Sandbox();
        sandbox.setMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(NS).build());
        client.resources(Sandbox.class).inNamespace(NS).resource(sandbox).create();
        SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(NS).withName(claimKey).get();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(sandboxName)
                .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, dev.vibed.kube.agentsandbox.SandboxNameHash.of(sandboxName)))
                .withAnnotations(podAnnotations).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage("vibed/agent").endContainer().endSpec()
                .withNewStatus().withPodIP(ip).endStatus().build()).create();
        SandboxClaimStatus status = new SandboxClaimStatus();
        SandboxRef ref = new SandboxRef();
        ref.setName(sandboxName);
        ref.setPodIPs(List.of(ip));
        status.setSandbox(ref);
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("DependenciesReady").build()));
        claim.setStatus(status);
        client.resources(SandboxClaim.class).inNamespace(NS).resource(claim).updateStatus();
    }
}
