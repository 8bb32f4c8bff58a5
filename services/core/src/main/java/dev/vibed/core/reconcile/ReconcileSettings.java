package dev.vibed.core.reconcile;

import java.time.Duration;

/**
 * Timings of the reconciler.
 *
 * @param drain            how long an old version keeps its sandbox after the route moved to the new one, so
 *                         requests already in flight (and routers that apply the switch a bit later) finish
 * @param agentGrace       how long an unreachable agent is waited for before the app fails with AgentUnreachable
 * @param healthInterval   how often a Ready app's agent is checked (crash loops, emptied sandboxes)
 * @param sourceUrlValidity lifetime of the presigned source URL handed to an agent
 */
public record ReconcileSettings(Duration drain, Duration agentGrace, Duration healthInterval, Duration sourceUrlValidity) {

    public static ReconcileSettings defaults() {
        return new ReconcileSettings(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(10));
    }
}
