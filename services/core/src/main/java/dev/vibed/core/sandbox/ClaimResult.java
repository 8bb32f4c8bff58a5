package dev.vibed.core.sandbox;

/** Outcome of asking the pool for the sandbox of a claim. */
public sealed interface ClaimResult {

    /**
     * @param unused the sandbox was bound by this very call and never had a source injected, so its agent is idle
     *               and the reconciler may inject without asking it first; false whenever the pool cannot tell
     *               (an existing binding, after a restart, in a cluster)
     */
    record Bound(SandboxLease lease, boolean unused) implements ClaimResult {
        public Bound(SandboxLease lease) {
            this(lease, false);
        }
    }

    /**
     * Not bound yet (agent-sandbox has not bound the claim, or a cold sandbox is booting). Ask again later.
     *
     * @param reason     the condition reason to show meanwhile ({@link #CLAIMING}, or what the pool reports, such as
     *                   agent-sandbox's {@code WarmPoolNotFound} that heals once the pool exists)
     * @param retryAfter when to ask again; null: the reconciler's usual short poll
     */
    record Pending(String reason, String message, java.time.Duration retryAfter) implements ClaimResult {
        public static final String CLAIMING = "Claiming";

        public Pending(String message) {
            this(CLAIMING, message, null);
        }
    }

    /** @param reason a condition reason such as {@code TemplateMissing} or {@code ClaimFailed} */
    record Failed(String reason, String message) implements ClaimResult {
    }
}
