package dev.vibed.controller.warmpool;

import dev.vibed.core.testing.MutableClock;
import dev.vibed.kube.agentsandbox.NameRef;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxClaimSpec;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.agentsandbox.SandboxWarmPoolSpec;
import dev.vibed.kube.cache.ObjectReads;
import dev.vibed.kube.testing.KubeMock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm pools follow demand on the mock API server: a burst of claims raises a pool's replicas, never past
 * the ceiling; once the burst ages out of the window the pool sinks back to its floor (the flag's, or the pool's
 * own annotation). The claims' creation times come from the server; the sizer's clock is moved past the window.
 */
class WarmPoolSizerTest {
    private static final String NS = "vibed-apps";
    private static final WarmPoolSizing SIZING = new WarmPoolSizing(1, 4, Duration.ofMinutes(1), Duration.ofSeconds(30),
            Duration.ofSeconds(5));

    private KubeMock kube;
    private KubernetesClient client;
    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void start() {
        kube = KubeMock.start(NS);
        client = kube.client();
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    @Test
    void aBurstRaisesThePoolWithinTheCeilingAndQuietSinksItToTheFloor() {
        pool("static", null);
        pool("node", null);
        WarmPoolSizer sizer = sizer();
        assertThat(sizer.resizeOnce()).containsEntry("static", 1).containsEntry("node", 1);

        // Two claims in the window, 30 s per start: one arrives while a replacement starts, so one more is kept.
        claims("static", 2);
        assertThat(sizer.resizeOnce()).containsEntry("static", 2).containsEntry("node", 1);
        assertThat(replicas("static")).isEqualTo(2);

        claims("static", 20);
        assertThat(sizer.resizeOnce()).containsEntry("static", 4);
        assertThat(replicas("static")).as("capped by --warm-max").isEqualTo(4);
        assertThat(replicas("node")).as("a pool nobody claims from stays at the floor").isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        assertThat(sizer.resizeOnce()).containsEntry("static", 1);
        assertThat(replicas("static")).isEqualTo(1);
    }

    @Test
    void aPoolsOwnFloorIsKeptWhenQuiet() {
        pool("python", "3");
        WarmPoolSizer sizer = sizer();
        sizer.resizeOnce();
        assertThat(replicas("python")).isEqualTo(3);
        claims("python", 20);
        sizer.resizeOnce();
        assertThat(replicas("python")).as("the ceiling is the flag's, above the pool's floor").isEqualTo(4);
    }

    private WarmPoolSizer sizer() {
        return new WarmPoolSizer(client, NS, ObjectReads.direct(client, NS, SandboxClaim.class), SIZING, clock);
    }

    private void pool(String name, String ownFloor) {
        SandboxWarmPool pool = new SandboxWarmPool();
        var meta = new ObjectMetaBuilder().withName(name).withNamespace(NS);
        if (ownFloor != null) {
            meta.withAnnotations(Map.of(WarmPoolSizer.MIN_ANNOTATION, ownFloor));
        }
        pool.setMetadata(meta.build());
        SandboxWarmPoolSpec spec = new SandboxWarmPoolSpec();
        spec.setReplicas(2);
        spec.setSandboxTemplateRef(new NameRef(name));
        pool.setSpec(spec);
        client.resources(SandboxWarmPool.class).inNamespace(NS).resource(pool).create();
    }

    private int counter;

    private void claims(String pool, int n) {
        for (int i = 0; i < n; i++) {
            SandboxClaim claim = new SandboxClaim();
            claim.setMetadata(new ObjectMetaBuilder().withName(pool + "-claim-" + counter++).withNamespace(NS)
                    .withLabels(Map.of("vibed.dev/claim", "x")).build());
            SandboxClaimSpec spec = new SandboxClaimSpec();
            spec.setWarmPoolRef(new NameRef(pool));
            claim.setSpec(spec);
            client.resources(SandboxClaim.class).inNamespace(NS).resource(claim).create();
        }
    }

    private int replicas(String pool) {
        return client.resources(SandboxWarmPool.class).inNamespace(NS).withName(pool).get().getSpec().getReplicas();
    }
}
