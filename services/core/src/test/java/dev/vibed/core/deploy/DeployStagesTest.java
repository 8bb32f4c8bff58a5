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
}
