package dev.vibed.core.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.vibed.core.deploy.DeployProgress.Stage.CLAIMED;
import static dev.vibed.core.deploy.DeployProgress.Stage.CLASSIFIED;
import static dev.vibed.core.deploy.DeployProgress.Stage.RECEIVED;
import static dev.vibed.core.deploy.DeployProgress.Stage.SERVING;
import static dev.vibed.core.deploy.DeployProgress.Stage.STARTING;
import static org.assertj.core.api.Assertions.assertThat;

class DeployStagesTest {
    private final List<String> heard = new ArrayList<>();
    private final DeployStages stages = new DeployStages((stage, message) -> heard.add(stage.wire() + ":" + message));

    @Test
    void stagesOnlyMoveForwardAndRepeatsAreDropped() {
        stages.reach(RECEIVED, "r");
        stages.reach(CLASSIFIED, "c");
        stages.reach(CLASSIFIED, "again");
        stages.reach(RECEIVED, "late");
        assertThat(heard).containsExactly("received:r", "classified:c");
    }

    @Test
    void skippedStagesAreFilledInBeforeTheOneReached() {
        stages.reach(RECEIVED, "r");
        stages.reach(SERVING, "url");
        assertThat(heard).containsExactly("received:r", "classified:null", "claimed:null", "starting:null", "serving:url");
        assertThat(SERVING.step()).isEqualTo(DeployProgress.Stage.count());
        assertThat(STARTING.step()).isEqualTo(CLAIMED.step() + 1);
    }

    @Test
    void aRedeployBeingInjectedWhileTheOldVersionServesIsClaimed() {
        var v = new dev.vibed.core.app.AppVersion(2, java.time.Instant.EPOCH, new dev.vibed.core.app.SourceRef(
                dev.vibed.core.blob.BlobStore.keyFor("a".repeat(64)), "a".repeat(64), 10), "fast", "node", "rule", "",
                java.util.Map.of());
        var v1 = new dev.vibed.core.app.AppVersion(1, java.time.Instant.EPOCH, v.source(), "fast", "node", "rule", "",
                java.util.Map.of());
        var spec = new dev.vibed.core.app.AppSpec("demo", "alice", List.of(v1, v), 2, null, false);
        var status = dev.vibed.core.app.AppStatus.pending(null).toBuilder();
        status.phase = dev.vibed.core.app.Phase.READY;
        status.servingVersion = 1;
        status.observedGeneration = 2;
        status.message = "starting v2";
        status.condition(dev.vibed.core.app.Condition.DEPLOYED, false, "Injecting", "starting v2", java.time.Instant.EPOCH);
        stages.observe(new dev.vibed.core.app.App("aaaaaaaaaaaa", 2, java.time.Instant.EPOCH, spec, status.build(), false), 2);
        assertThat(heard).containsExactly("received:null", "classified:null", "claimed:starting v2");
    }
}
