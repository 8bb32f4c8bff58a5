package dev.vibed.core.app;

import java.time.Instant;

/** Kubernetes-shaped condition: {@code status} is "True", "False" or "Unknown". */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime,
                        long observedGeneration) {

    public static final String READY = "Ready";
    public static final String SOURCE_VALID = "SourceValid";
    /** True when the active version is the one serving; False with a reason when the latest rollout failed. */
    public static final String DEPLOYED = "Deployed";
    /**
     * True while the serving version works but its owner should fix something, e.g. that it listens on 3000 and
     * not on $PORT (reason {@code PortMismatch}); absent otherwise.
     */
    public static final String WARNING = "Warning";

    public boolean isTrue() {
        return "True".equals(status);
    }
}
