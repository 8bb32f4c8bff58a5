package dev.vibed.core.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the reconciler observed. Everything here can be rebuilt from the world, so losing it only costs a
 * reconcile (level-triggered).
 *
 * @param servingVersion the version the route points at (0: none)
 * @param failedVersion  the active version whose rollout failed at {@code observedGeneration} (0: none); the
 *                       reconciler does not retry it until the spec changes
 * @param outcomes       per version: "live", "replaced", "failed: reason"
 */
public record AppStatus(Phase phase, String url, String routeTarget, String sandboxRef, int servingVersion,
                        int failedVersion, Instant lastDeployedAt, long observedGeneration, int restarts,
                        String lastCrashLog, String message, List<Condition> conditions,
                        Map<Integer, String> outcomes) {

    public AppStatus {
        conditions = List.copyOf(conditions);
        outcomes = Map.copyOf(outcomes);
    }

    public static AppStatus pending(String url) {
        return new AppStatus(Phase.PENDING, url, null, null, 0, 0, null, 0, 0, null, null, List.of(), Map.of());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public java.util.Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** Mutable copy used by the reconciler to compute the next status in one place. */
    public static final class Builder {
        public Phase phase;
        public String url;
        public String routeTarget;
        public String sandboxRef;
        public int servingVersion;
        public int failedVersion;
        public Instant lastDeployedAt;
        public long observedGeneration;
        public int restarts;
        public String lastCrashLog;
        public String message;
        private final List<Condition> conditions;
        private final Map<Integer, String> outcomes;

        private Builder(AppStatus s) {
            phase = s.phase;
            url = s.url;
            routeTarget = s.routeTarget;
            sandboxRef = s.sandboxRef;
            servingVersion = s.servingVersion;
            failedVersion = s.failedVersion;
            lastDeployedAt = s.lastDeployedAt;
            observedGeneration = s.observedGeneration;
            restarts = s.restarts;
            lastCrashLog = s.lastCrashLog;
            message = s.message;
            conditions = new ArrayList<>(s.conditions);
            outcomes = new TreeMap<>(s.outcomes);
        }

        /** Sets a condition, keeping its transition time when the status value did not change. */
        public Builder condition(String type, boolean value, String reason, String message, Instant now) {
            String status = value ? "True" : "False";
            Instant since = now;
            for (Condition c : conditions) {
                if (c.type().equals(type) && c.status().equals(status)) {
                    since = c.lastTransitionTime();
                }
            }
            conditions.removeIf(c -> c.type().equals(type));
            conditions.add(new Condition(type, status, reason, message, since, observedGeneration));
            conditions.sort(java.util.Comparator.comparing(Condition::type));
            return this;
        }

        public Builder removeCondition(String type) {
            conditions.removeIf(c -> c.type().equals(type));
            return this;
        }

        public Builder outcome(int version, String outcome) {
            outcomes.put(version, outcome);
            return this;
        }

        public Builder keepOutcomesOf(java.util.Collection<Integer> versions) {
            outcomes.keySet().retainAll(versions);
            return this;
        }

        public AppStatus build() {
            // Conditions carry the generation they describe, so they are restamped with the final value.
            List<Condition> stamped = conditions.stream()
                    .map(c -> new Condition(c.type(), c.status(), c.reason(), c.message(), c.lastTransitionTime(), observedGeneration))
                    .toList();
            return new AppStatus(phase, url, routeTarget, sandboxRef, servingVersion, failedVersion, lastDeployedAt,
                    observedGeneration, restarts, lastCrashLog, message, stamped, outcomes);
        }
    }
}
