package dev.vibed.core.app;

import java.time.Instant;

/** Kubernetes-shaped condition: {@code status} is "True", "False" or "Unknown". */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime,
                        long observedGeneration) {

    public static final String READY = "Ready";
    public static final String SOURCE_VALID = "SourceValid";
    /** True when the active version is the one serving; False with a reason when the latest rollout failed. */
    public static final String DEPLOYED = "Deployed";

    public boolean isTrue() {
        return "True".equals(status);
    }
}
