package dev.vibed.core.sandbox;

import java.util.Map;
import java.util.Set;

/**
 * Port: warm sandboxes per template. Kubernetes: agent-sandbox SandboxClaims on SandboxWarmPools. Standalone:
 * pre-started local agents. Calls are idempotent per claim key, so a reconciler can repeat them freely.
 */
public interface SandboxPool {

    /** The sandbox bound to {@code claimKey}, claiming one from the template's pool if there is none yet. */
    ClaimResult claim(String claimKey, String template, Map<String, String> labels);

    /** The sandbox bound to {@code claimKey} if there is one; never claims. Used to read logs. */
    java.util.Optional<SandboxLease> lease(String claimKey);

    /** Gives the sandbox back (it is destroyed, never reused for another app). Unknown keys are ignored. */
    void release(String claimKey);

    /** Keys of every claim that currently holds a sandbox. */
    Set<String> claimKeys();

    boolean hasTemplate(String template);

    /**
     * Calls {@code listener} with the claim key whenever a claim that answered Pending can now bind, so a reconciler
     * is woken by that event instead of polling the claim. Pools that cannot tell keep the default (never called).
     */
    default void onClaimReady(java.util.function.Consumer<String> listener) {
    }
}
