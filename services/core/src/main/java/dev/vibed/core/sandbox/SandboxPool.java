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

    /**
     * Keys of the claims of one app. The reconciler asks this on every pass; a pool that can look them up by app
     * (the controller's claim cache) overrides it so that a pass costs nothing per other app.
     */
    default Set<String> claimKeysOf(String appId) {
        Set<String> keys = new java.util.TreeSet<>();
        for (String key : claimKeys()) {
            if (dev.vibed.core.app.AppIds.claimBelongsTo(key, appId)) {
                keys.add(key);
            }
        }
        return keys;
    }

    boolean hasTemplate(String template);

    /**
     * The start on the sandbox bound to {@code claimKey} is over (its app serves, failed, or is on a long job such
     * as an install): a pool that holds back work competing with that start for the CPU (starting the sandbox that
     * replaces it) may do it now. Pools with nothing to hold back keep the default.
     */
    default void settled(String claimKey) {
    }

    /**
     * Calls {@code listener} with the claim key whenever a claim that answered Pending can now bind, so a reconciler
     * is woken by that event instead of polling the claim. Pools that cannot tell keep the default (never called).
     */
    default void onClaimReady(java.util.function.Consumer<String> listener) {
    }
}
