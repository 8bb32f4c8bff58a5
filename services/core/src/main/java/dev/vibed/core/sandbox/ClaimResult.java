package dev.vibed.core.sandbox;

/** Outcome of asking the pool for the sandbox of a claim. */
public sealed interface ClaimResult {

    record Bound(SandboxLease lease) implements ClaimResult {
    }

    /** Not bound yet (agent-sandbox has not bound the claim, or a cold sandbox is booting). Ask again later. */
    record Pending(String message) implements ClaimResult {
    }

    /** @param reason a condition reason such as {@code TemplateMissing} or {@code ClaimFailed} */
    record Failed(String reason, String message) implements ClaimResult {
    }
}
