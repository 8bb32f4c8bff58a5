package dev.vibed.core.route;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.MemoryAppStore;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.deploy.DeployMetrics;
import dev.vibed.core.deploy.DeployStage;
import dev.vibed.core.deploy.DeployTimeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Route sync applies an app's desired route and times the deploy's route stage. */
class RouteSyncTest {
    private static final String ID = "abcdefghijkl";

    @Test
    void theRouteStageIsRecordedBeforeTheTableHoldsTheRouteSoAWokenWaiterConfirmsAfterIt() {
        List<DeployStage> stages = new ArrayList<>();
        DeployTimeline timeline = new DeployTimeline(new DeployMetrics() {
            @Override
            public void stage(DeployStage stage, Duration took) {
                stages.add(stage);
            }

            @Override
            public void deploy(String template, String outcome, Duration took) {
            }
        });
        DeployTimeline.Run run = timeline.begin(Duration.ZERO);
        timeline.follow(AppIds.claimKey(ID, 1), run);
        List<List<DeployStage>> seenByTable = new ArrayList<>();
        Map<String, Route> held = new ConcurrentHashMap<>();
        RouteTable table = new RouteTable() {
            @Override
            public void upsert(Route route) {
                seenByTable.add(List.copyOf(stages)); // what a waiter woken by this write would find recorded
                held.put(route.id(), route);
            }

            @Override
            public void remove(String routeId) {
                held.remove(routeId);
            }

            @Override
            public Map<String, Route> routes() {
                return Map.copyOf(held);
            }
        };
        PublicUrls urls = new PublicUrls("http", "localhost", 8080);
        RouteSync sync = new RouteSync(new MemoryAppStore(), table, urls, timeline);

        sync.apply(ready(), false);

        assertThat(held.get(AppIds.serviceName(ID)).target()).isEqualTo("site:" + ID + "-v1");
        assertThat(seenByTable).containsExactly(List.of(DeployStage.UPLOAD, DeployStage.ROUTE));
    }

    private static App ready() {
        AppVersion v1 = new AppVersion(1, Instant.EPOCH, new SourceRef("sha256/" + "a".repeat(64) + ".tar.gz", "a".repeat(64), 1),
                "fast", "static", "rule", "", Map.of());
        AppStatus.Builder b = AppStatus.pending(null).toBuilder();
        b.phase = Phase.READY;
        b.servingVersion = 1;
        b.routeTarget = "site:" + ID + "-v1";
        return new App(ID, 1, Instant.EPOCH, new AppSpec("site", "owner", List.of(v1), 1, null, false), b.build(), false);
    }
}
