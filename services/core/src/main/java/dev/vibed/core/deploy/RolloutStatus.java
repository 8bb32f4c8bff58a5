package dev.vibed.core.deploy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;

/**
 * What an app's status says of one version's rollout, read one way for the deploy's progress and for its turn.
 *
 * @param observed    the reconciler has looked at this version (the status no longer describes an earlier spec)
 * @param otherServes an older version keeps serving meanwhile, so the rollout's progress is on the Deployed condition
 * @param reason      the reason of that condition (Injecting, Starting, ...), or null
 */
record RolloutStatus(boolean observed, boolean otherServes, String reason, Phase phase) {
    static RolloutStatus of(App app, int version) {
        var status = app.status();
        boolean observed = app.spec().activeVersion() == version && status.observedGeneration() == app.generation();
        boolean otherServes = status.servingVersion() > 0 && status.servingVersion() != version;
        String reason = status.condition(otherServes ? Condition.DEPLOYED : Condition.READY)
                .map(Condition::reason).orElse(null);
        return new RolloutStatus(observed, otherServes, reason, status.phase());
    }
}
