package dev.vibed.controller.watch;

import dev.vibed.controller.testing.Cluster;
import dev.vibed.controller.testing.FakeAgentSandbox.Behavior;
import dev.vibed.core.app.App;
import dev.vibed.core.app.Phase;
import dev.vibed.core.reconcile.AppReconciler;
import dev.vibed.core.testing.TarGz;
import dev.vibed.kube.testing.SampleApps;
import dev.vibed.kube.testing.ThroughCaddy;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller is woken by agent-sandbox's events, not by a timer: with every safety-net delay set to ten minutes
 * (longer than the test), an app whose claim binds, and then whose pod turns ready, still becomes Ready at once.
 * And a reconcile pass reads claims and pods from the informers: deploys make no LIST of either.
 */
class WatchWakeupTest {
    private static final String OWNER = "local";
    /** Far beyond these tests' waits (and JOSDK's 60 s maximum interval), so only an event can end a wait. */
    private static final Duration NEVER = Duration.ofMinutes(10);
    private static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = new Cluster(Map.of("static", Behavior.AGENT));
        cluster.startController("controller-a", NEVER);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aClaimBindingAndThenAPodTurningReadyEachWakeTheApp() {
        cluster.agentSandbox().hold("static");
        cluster.agentSandbox().holdPodReadiness("static");
        App app;
        try {
            app = cluster.store().create(SampleApps.app(OWNER, "woken", "static", cluster.putSource(site("woken by events"))));
            await().until(() -> phase(app.id()) == Phase.CLAIMING);
        } finally {
            cluster.agentSandbox().release("static");
        }
        try {
            // The binding wakes the app: it injects, starts, publishes, and waits for the pod's readiness.
            await().until(() -> reason(app.id()).equals(AppReconciler.WAITING_FOR_ENDPOINT));
        } finally {
            cluster.agentSandbox().releasePodReadiness("static");
        }
        // The pod's update wakes it again; 20 s at most, while the app's own retry is 10 min away.
        await().until(() -> phase(app.id()) == Phase.READY);
        // The router programs the route on the app's Ready (its own watch), a moment after.
        await().untilAsserted(() -> assertThat(ThroughCaddy.get(cluster.caddy().httpPort(), cluster.urls().host(app.id())).body())
                .contains("woken by events"));
    }

    @Test
    void deploysReadClaimsAndPodsFromTheCachesWithoutAList() {
        long claimLists = cluster.mock().lists("/sandboxclaims");
        long podLists = cluster.mock().lists("/pods");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(cluster.store().create(SampleApps.app(OWNER, "cached-" + i, "static",
                    cluster.putSource(site("cached " + i)))).id());
        }
        await().until(() -> ids.stream().allMatch(id -> phase(id) == Phase.READY));
        assertThat(cluster.mock().lists("/sandboxclaims")).as("LISTs of SandboxClaims while 3 apps deployed")
                .isEqualTo(claimLists);
        assertThat(cluster.mock().lists("/pods")).as("LISTs of pods while 3 apps deployed").isEqualTo(podLists);
    }

    private static Phase phase(String id) {
        return cluster.store().get(id).map(a -> a.status().phase()).orElse(null);
    }

    private static String reason(String id) {
        return cluster.store().get(id).flatMap(a -> a.status().condition(dev.vibed.core.app.Condition.READY))
                .map(c -> String.valueOf(c.reason())).orElse("");
    }

    private static byte[] site(String content) {
        return TarGz.create().file("index.html", "<!doctype html><h1>" + content + "</h1>\n").bytes();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }
}
