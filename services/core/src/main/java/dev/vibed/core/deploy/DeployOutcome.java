package dev.vibed.core.deploy;

import dev.vibed.core.classify.Classification;
import dev.vibed.core.lifecycle.AppView;

/**
 * What a deploy came to within the wait budget.
 *
 * @param state   SERVING: the URL serves this version; PENDING: not yet, poll the status; FAILED: this version
 *                cannot run (the reason is in {@code app.message()}, a crash tail in {@code app.lastCrashLog()})
 * @param created   true when the deploy created the app, false when it added a version to an existing one
 * @param coldStart true when no warm sandbox was free and one was started for this deploy (a pool miss)
 */
public record DeployOutcome(State state, AppView app, int version, Classification classification, boolean created,
                            boolean coldStart) {
    public enum State {SERVING, PENDING, FAILED}
}
