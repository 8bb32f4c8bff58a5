package dev.vibed.core.deploy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.Condition;
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
        var status = app.status();
        if (app.spec().activeVersion() != version || status.observedGeneration() != app.generation()) {
            return; // the status still describes an earlier spec
        }
        // While an older version keeps serving, the new rollout's progress is on the Deployed condition.
        boolean otherServes = status.servingVersion() > 0 && status.servingVersion() != version;
        String type = otherServes ? Condition.DEPLOYED : Condition.READY;
        String reason = status.condition(type).map(Condition::reason).orElse(null);
        String message = status.message();
        if ("Starting".equals(reason)) {
            reach(DeployProgress.Stage.STARTING, message);
        } else if ("Injecting".equals(reason) || "Injected".equals(reason)
                || (!otherServes && status.phase() == Phase.STARTING)) {
            reach(DeployProgress.Stage.CLAIMED, message);
        }
    }
}
