package dev.vibed.core.deploy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stage marks from the components that end each stage add up to one deploy; repeats and strangers are ignored. */
class DeployTimelineTest {
    private final List<String> recorded = new ArrayList<>();
    private final List<Duration> stageTimes = new ArrayList<>();
    private final DeployTimeline timeline = new DeployTimeline(new DeployMetrics() {
        @Override
        public void stage(DeployStage stage, Duration took) {
            recorded.add(stage.wire());
            stageTimes.add(took);
        }

        @Override
        public void deploy(String template, String outcome, Duration took) {
            recorded.add("deploy " + template + " " + outcome + (took.compareTo(Duration.ofMillis(50)) >= 0 ? " >=upload" : ""));
        }
    });

    @Test
    void eachStageIsRecordedOnceAndTheDeployCoversThemAll() {
        DeployTimeline.Run run = timeline.begin(Duration.ofMillis(50));
        run.mark(DeployStage.INSPECT);
        run.mark(DeployStage.STORE);
        timeline.follow("app1-v1", run);
        timeline.mark("app1-v1", DeployStage.CLAIM);
        timeline.mark("app1-v1", DeployStage.CLAIM); // the reconciler passes again: still one claim
        timeline.mark("other-v1", DeployStage.INJECT); // not a deploy of this process
        timeline.mark("app1-v1", DeployStage.INJECT);
        timeline.mark("app1-v1", DeployStage.START);
        timeline.mark("app1-v1", DeployStage.ROUTE);
        run.mark(DeployStage.CONFIRM);
        timeline.finish("app1-v1", run, "static", "serving");
        timeline.mark("app1-v1", DeployStage.START); // a health pass after the deploy

        assertThat(recorded).containsExactly("upload", "inspect", "store", "claim", "inject", "start", "route", "confirm",
                "deploy static serving >=upload");
        assertThat(stageTimes.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(stageTimes).allSatisfy(d -> assertThat(d.isNegative()).isFalse());
    }

    @Test
    void aStageLearntLateIsDatedWhenItEndedAndTheNextOneGetsTheRest() throws InterruptedException {
        long from = System.nanoTime();
        DeployTimeline.Run run = timeline.begin(Duration.ZERO);
        timeline.follow("app1-v1", run);
        Thread.sleep(60); // the inject, then the app's start, both inside one call to the agent
        timeline.mark("app1-v1", DeployStage.INJECT, Duration.ofMillis(40));
        timeline.mark("app1-v1", DeployStage.START);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - from);
        assertThat(recorded).containsExactly("upload", "inject", "start");
        assertThat(stageTimes.get(1)).isLessThanOrEqualTo(elapsed.minusMillis(40));
        assertThat(stageTimes.get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(40));

        timeline.mark("app1-v1", DeployStage.ROUTE, Duration.ofHours(1)); // never before the stage it follows
        assertThat(stageTimes.get(3)).isEqualTo(Duration.ZERO);
    }
}
