package dev.vibed.core.deploy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.Phase;

/**
 * Turns what a deploy observes (its own steps, then each status the reconciler writes) into {@link DeployProgress}
 * stages that only move forward: repeats are dropped and skipped stages are filled in, so a listener sees
 * received, classified, claimed, starting, serving in that order whatever the store's watch coalesced.
 */
final class DeployStages {
    private final DeployProgress listener;
    private DeployProgress.Stage reached;

    DeployStages(DeployProgress listener) {
        this.listener = listener == null ? DeployProgress.NONE : listener;
    }

    // The store's watch (observe) and the deploy's own thread (reach SERVING) both report: one at a time, in order.
    synchronized void reach(DeployProgress.Stage stage, String message) {
        if (reached != null && stage.ordinal() <= reached.ordinal()) {
            return;
        }
        int from = reached == null ? 0 : reached.ordinal() + 1;
        for (int i = from; i <= stage.ordinal(); i++) {
            DeployProgress.Stage s = DeployProgress.Stage.values()[i];
            listener.stage(s, s == stage ? message : null);
        }
        reached = stage;
    }

    /** Reads the rollout of {@code version} from a status write; the waiter reports SERVING itself. */
    synchronized void observe(App app, int version) {
        RolloutStatus rollout = RolloutStatus.of(app, version);
        if (!rollout.observed()) {
            return; // the status still describes an earlier spec
        }
        if ("Starting".equals(rollout.reason())) {
            reach(DeployProgress.Stage.STARTING, app.status().message());
        } else if ("Injecting".equals(rollout.reason()) || "Injected".equals(rollout.reason())
                || (!rollout.otherServes() && rollout.phase() == Phase.STARTING)) {
            reach(DeployProgress.Stage.CLAIMED, app.status().message());
        }
    }
}
