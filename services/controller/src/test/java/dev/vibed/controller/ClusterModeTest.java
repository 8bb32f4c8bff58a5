package dev.vibed.controller;

import dev.vibed.controller.testing.Cluster;
import dev.vibed.controller.testing.FakeAgentSandbox;
import dev.vibed.controller.testing.FakeAgentSandbox.Behavior;
import dev.vibed.controller.testing.VibedHttp;
import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.Phase;
import dev.vibed.core.testing.TarGz;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxNameHash;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.model.VibedAppStatus;
import dev.vibed.kube.testing.SampleApps;
import dev.vibed.kube.testing.ThroughCaddy;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vibeD in cluster mode, end to end: the API (POST /v1/deploy), vibed-controller (java-operator-sdk), vibed-router
 * and a real Caddy, S3Proxy for sources, agent-sandbox played by the test with a real vibed-agent per pod. Then
 * the faults: controller hand-over mid-deploy, Caddy restart, pod replacement, deletion, and the failures that must
 * end in Failed with the right reason.
 */
class ClusterModeTest {
    private static final String OWNER = "local";
    private static Cluster cluster;
    private static VibedHttp http;

    @BeforeAll
    static void start() {
        cluster = new Cluster(Map.of("static", Behavior.AGENT, "deadpool", Behavior.NO_AGENT,
                "rejecting", Behavior.REJECT));
        cluster.startController("controller-a");
        http = new VibedHttp(cluster.apiUri());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void deployServesThroughCaddyOnTheClusterAdapters() {
        VibedHttp.Answer deployed = http.deploy(site("hello from the cluster"), "{\"name\":\"hello\",\"env\":{\"GREETING\":\"hi\"}}");
        assertThat(deployed.status()).as("%s", deployed.body()).isEqualTo(200);
        String id = deployed.body().getString("app_id");
        assertThat(deployed.body().getString("url")).isEqualTo(cluster.urls().url(id));
        assertThat(deployed.body().getBoolean("cold_start")).as("adopted from the warm pool").isFalse();
        // 200 means it serves now, through the router's Caddy, with the app's Host.
        assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(id)).body()).contains("hello from the cluster");

        VibedApp app = vapp(id);
        assertThat(app.getStatus().getPhase()).isEqualTo("Ready");
        assertThat(app.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(app.getSpec().getTemplate()).isEqualTo("static");

        String key = AppIds.claimKey(id, 1);
        SandboxClaim claim = cluster.kube().resources(SandboxClaim.class).inNamespace(Cluster.NS).withName(key).get();
        assertThat(claim.getSpec().getWarmPoolRef().getName()).isEqualTo("static");
        assertThat(claim.getMetadata().getLabels())
                .containsEntry(AgentSandbox.APP_LABEL, id).containsEntry(AgentSandbox.CLAIM_LABEL, key);
        assertThat(claim.getSpec().getAdditionalPodMetadata())
                .as("no pod labels: a stock agent-sandbox accepts only sandbox.users.io there (the fake enforces it)").isNull();
        assertThat(Serialization.asJson(claim.getSpec())).as("env goes to the agent, never on the claim")
                .doesNotContain("GREETING").doesNotContain("\"env\"");
        assertThat(claim.getMetadata().getOwnerReferences()).extracting("name").containsExactly(id);

        Service service = cluster.kube().services().inNamespace(Cluster.NS).withName(AppIds.serviceName(id)).get();
        assertThat(service.getSpec().getSelector()).as("agent-sandbox's own label, as the Sandbox publishes it")
                .isEqualTo(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(app.getStatus().getSandboxRef())));
        assertThat(cluster.kube().pods().inNamespace(Cluster.NS).withLabels(service.getSpec().getSelector()).list().getItems())
                .as("the Service selects the bound pod").singleElement()
                .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo(app.getStatus().getSandboxRef()));
        assertThat(app.getStatus().getRouteTarget()).as("pod-address mode in this test")
                .isEqualTo("127.0.0.1:" + service.getSpec().getPorts().getFirst().getTargetPort().getIntVal());
    }

    @Test
    void redeployMovesTheServiceToTheNewVersionAndReleasesTheOldClaim() {
        String id = deployOk("rollout", "version one");
        assertThat(http.deploy(site("version two"), "{\"name\":\"rollout\"}").status()).isEqualTo(200);
        assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(id)).body()).contains("version two");
        String v2Sandbox = cluster.agentSandbox().bound(AppIds.claimKey(id, 2)).orElseThrow().sandboxName();
        assertThat(service(id).getSpec().getSelector()).containsEntry(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(v2Sandbox));
        // Released after the drain delay; agent-sandbox then deletes its sandbox (it never returns to the pool).
        await().untilAsserted(() -> assertThat(claimsOf(id)).containsExactly(AppIds.claimKey(id, 2)));
        assertThat(cluster.agentSandbox().bound(AppIds.claimKey(id, 1))).isEmpty();
    }

    @Test
    void aPodThatComesBackEmptyIsReinjectedAndServesAgain() throws Exception {
        String id = deployOk("phoenix", "risen");
        String key = AppIds.claimKey(id, 1);
        FakeAgentSandbox.Bound before = cluster.agentSandbox().bound(key).orElseThrow();

        FakeAgentSandbox.Bound after = cluster.agentSandbox().replacePod(key);
        assertThat(after.agent().bootId()).isNotEqualTo(before.agent().bootId());

        await().untilAsserted(() -> {
            assertThat(status(id).getSandboxRef()).isEqualTo(after.sandboxName());
            assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(id)).body()).contains("risen");
        });
        AgentStatus agent = new HttpAgentClient(Duration.ofSeconds(2))
                .status(new AgentClient.Endpoint(after.agent().controlUri(), Cluster.TOKEN));
        assertThat(agent.revision()).as("the new, empty agent got the source again").isEqualTo(key);
    }

    @Test
    void aRestartedCaddyGetsTheRoutesBackWithinSeconds() {
        String id = deployOk("sturdy", "still serving");
        long before = cluster.caddy().pid();
        cluster.caddy().restart();
        assertThat(cluster.caddy().pid()).isNotEqualTo(before);
        Awaitility.await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(id)).body()).contains("still serving"));
    }

    @Test
    void deletingAnAppRemovesClaimServiceRouteAndFinallyTheApp() {
        String id = deployOk("doomed", "going away");
        String sandbox = status(id).getSandboxRef();

        VibedHttp.Answer deleted = http.delete("/v1/apps/" + id);
        assertThat(deleted.status()).isBetween(200, 204);

        await().untilAsserted(() -> {
            assertThat(vapp(id)).as("the finalizer let go").isNull();
            assertThat(claimsOf(id)).isEmpty();
            assertThat(service(id)).isNull();
            assertThat(cluster.kube().pods().inNamespace(Cluster.NS).withName(sandbox).get()).isNull();
            HttpResponse<String> res = ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(id));
            assertThat(res.statusCode()).isEqualTo(404);
            assertThat(res.headers().firstValue("X-Vibed-Fallback")).contains("true");
        });
    }

    @Test
    void aMissingTemplateFailsWithTemplateMissing() {
        VibedHttp.Answer res = http.deploy(TarGz.create().file("app.py", "print('hi')\n").file("requirements.txt", "").bytes(),
                "{\"name\":\"snake\"}");
        assertThat(res.status()).as("%s", res.body()).isEqualTo(422);
        String id = res.body().getString("app_id");
        assertFailed(id, "TemplateMissing");
        assertThat(claimsOf(id)).as("nothing was claimed").isEmpty();
    }

    @Test
    void anAgentThatNeverAnswersFailsWithAgentUnreachable() {
        App app = cluster.store().create(SampleApps.app(OWNER, "mute", "deadpool", cluster.putSource(site("unheard"))));
        await().untilAsserted(() -> assertFailed(app.id(), "AgentUnreachable"));
    }

    @Test
    void aSourceThatFailsItsChecksumFailsWithInjectFailed() {
        App app = cluster.store().create(SampleApps.app(OWNER, "corrupt", "static",
                cluster.putCorruptSource("not the archive that was uploaded".getBytes(), SampleApps.sha('e'))));
        await().untilAsserted(() -> assertFailed(app.id(), "InjectFailed"));
    }

    @Test
    void aClaimAgentSandboxRejectsForItsLabelsFailsWithInvalidMetadataAndWhatToDo() {
        App app = cluster.store().create(SampleApps.app(OWNER, "refused", "rejecting", cluster.putSource(site("refused"))));
        await().untilAsserted(() -> assertFailed(app.id(), "InvalidMetadata"));
        assertThat(status(app.id()).getMessage()).contains("allowed-label-domains", "agent-sandbox-config");
    }

    @Test
    void aColdStartIsReadWhereAgentSandboxWritesItOnTheSandbox() {
        cluster.agentSandbox().behave("static", Behavior.COLD);
        App app;
        try {
            app = cluster.store().create(SampleApps.app(OWNER, "frosty", "static", cluster.putSource(site("cold but fine"))));
            await().untilAsserted(() -> assertThat(status(app.id()).getPhase()).isEqualTo("Ready"));
        } finally {
            cluster.agentSandbox().behave("static", Behavior.AGENT);
        }
        var pool = new dev.vibed.kube.sandbox.SandboxClaimPool(cluster.kube(), Cluster.NS,
                new dev.vibed.kube.sandbox.AgentTokens(cluster.kube(), Cluster.NS, dev.vibed.kube.sandbox.AgentTokens.DEFAULT_SECRET,
                        Duration.ofSeconds(30), java.time.Clock.systemUTC()));
        // The deploy answer's cold_start is this lease's flag.
        assertThat(pool.lease(AppIds.claimKey(app.id(), 1))).hasValueSatisfying(l -> assertThat(l.cold()).isTrue());
        String pod = status(app.id()).getSandboxRef();
        assertThat(cluster.kube().pods().inNamespace(Cluster.NS).withName(pod).get().getMetadata().getLabels())
                .as("the fake, like agent-sandbox, does not put it on the pod").doesNotContainKey(AgentSandbox.LAUNCH_TYPE_LABEL);
    }

    @Test
    void aMissingWarmPoolIsRetriedWithItsReasonShownUntilThePoolAppears() {
        cluster.kube().resources(dev.vibed.kube.agentsandbox.SandboxWarmPool.class).inNamespace(Cluster.NS).withName("static").delete();
        App app;
        try {
            app = cluster.store().create(SampleApps.app(OWNER, "early-bird", "static", cluster.putSource(site("worth the wait"))));
            await().untilAsserted(() -> {
                VibedAppStatus waiting = status(app.id());
                assertThat(waiting.getPhase()).isEqualTo(Phase.CLAIMING.wire());
                assertThat(waiting.getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("WarmPoolNotFound"));
            });
        } finally {
            Cluster.pool(cluster.kube(), "static");
        }
        await().untilAsserted(() -> {
            assertThat(status(app.id()).getPhase()).isEqualTo("Ready");
            assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(app.id())).body()).contains("worth the wait");
        });
    }

    @Test
    void aTemplateLeftAtManagedNetworkPolicyFailsWithAClearReasonInsteadOfTimingOut() {
        Cluster.template(cluster.kube(), "managed", null);
        Cluster.pool(cluster.kube(), "managed");
        App app = cluster.store().create(SampleApps.app(OWNER, "fenced", "managed", cluster.putSource(site("fenced in"))));
        await().untilAsserted(() -> assertFailed(app.id(), "TemplateNetworkPolicyManaged"));
        assertThat(status(app.id()).getMessage()).contains("networkPolicyManagement", "Unmanaged");
        assertThat(claimsOf(app.id())).as("nothing was claimed").isEmpty();
    }

    @Test
    void anAppIsReadyOnlyOnceItsServiceHasAReadyEndpoint() {
        cluster.agentSandbox().holdPodReadiness("static");
        App app;
        try {
            app = cluster.store().create(SampleApps.app(OWNER, "laggard", "static", cluster.putSource(site("ready now"))));
            await().untilAsserted(() -> assertThat(status(app.id()).getConditions())
                    .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("WaitingForEndpoint")));
            // The claim is Ready and the app listens, but the pod is not Ready: still not Ready a while later.
            Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(status(app.id()).getPhase()).isEqualTo(Phase.STARTING.wire()));
        } finally {
            cluster.agentSandbox().releasePodReadiness("static");
        }
        await().untilAsserted(() -> assertThat(status(app.id()).getPhase()).isEqualTo("Ready"));
    }

    @Test
    void aControllerStoppedMidDeployIsReplacedAndOnlyOneReplicaLeads() {
        // The deploy is paused after the claim was made (agent-sandbox holds the pool), then the leader goes away.
        cluster.agentSandbox().hold("static");
        App app = cluster.store().create(SampleApps.app(OWNER, "handover", "static", cluster.putSource(site("handed over"))));
        await().untilAsserted(() -> {
            assertThat(status(app.id()).getPhase()).isEqualTo(Phase.CLAIMING.wire());
            assertThat(claimsOf(app.id())).containsExactly(AppIds.claimKey(app.id(), 1));
        });
        VibedController leader = cluster.leader();
        cluster.stopController(leader);

        VibedController b = cluster.startController("controller-b");
        VibedController c = cluster.startController("controller-c");
        cluster.agentSandbox().release("static");
        await().untilAsserted(() -> {
            assertThat(status(app.id()).getPhase()).isEqualTo("Ready");
            assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(app.id())).body()).contains("handed over");
        });
        assertThat(List.of(b.leading(), c.leading())).as("exactly one replica leads").containsExactlyInAnyOrder(true, false);
        VibedController newLeader = b.leading() ? b : c;
        VibedController standby = b.leading() ? c : b;
        Lease lease = cluster.kube().leases().inNamespace(Cluster.NS).withName("vibed-controller").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(b.leading() ? "controller-b" : "controller-c");

        // And the standby takes over when the leader is gone.
        cluster.stopController(newLeader);
        await().until(standby::leading);
        String id = deployOk("after-handover", "standby serves");
        assertThat(status(id).getPhase()).isEqualTo("Ready");
    }

    @Test
    void probesAnswerAndTellTheLeaderFromAStandby() throws Exception {
        deployOk("metered", "counted");
        VibedController leader = cluster.leader();
        var client = java.net.http.HttpClient.newHttpClient();
        var healthz = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + leader.healthPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        var readyz = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + leader.healthPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(healthz.statusCode()).isEqualTo(200);
        assertThat(readyz.statusCode()).isEqualTo(200);
        assertThat(readyz.body()).contains("leader");
        var metrics = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + leader.healthPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("vibed_controller_leader 1").containsPattern("vibed_apps\\{phase=\"Ready\"} [1-9]");
    }

    private static String deployOk(String name, String content) {
        VibedHttp.Answer res = http.deploy(site(content), "{\"name\":\"" + name + "\"}");
        assertThat(res.status()).as("deploy of %s: %s", name, res.body()).isEqualTo(200);
        return res.body().getString("app_id");
    }

    private static void assertFailed(String id, String reason) {
        VibedApp app = vapp(id);
        assertThat(app).isNotNull();
        assertThat(app.getStatus()).isNotNull();
        assertThat(app.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(app.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(reason);
        });
    }

    private static byte[] site(String content) {
        return TarGz.create().file("index.html", "<!doctype html><h1>" + content + "</h1>\n").bytes();
    }

    private static VibedApp vapp(String id) {
        return cluster.kube().resources(VibedApp.class).inNamespace(Cluster.NS).withName(id).get();
    }

    /** The app's status as written; none until the controller's first pass (the app reads as Pending until then). */
    private static VibedAppStatus status(String id) {
        VibedAppStatus status = vapp(id).getStatus();
        return status == null ? new VibedAppStatus() : status;
    }

    private static Service service(String id) {
        return cluster.kube().services().inNamespace(Cluster.NS).withName(AppIds.serviceName(id)).get();
    }

    private static List<String> claimsOf(String id) {
        return cluster.kube().resources(SandboxClaim.class).inNamespace(Cluster.NS).withLabel(AgentSandbox.APP_LABEL, id)
                .list().getItems().stream().map(c -> c.getMetadata().getName()).sorted().toList();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
