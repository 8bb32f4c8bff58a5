package dev.vibed.core.lifecycle;

import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.problem.Problem;

import java.time.Duration;

/**
 * Limits and defaults every front end shares.
 *
 * @param defaultTtl    applied when a deploy names no ttl
 * @param maxTtl        the longest ttl a user may ask for
 * @param allowNoExpiry whether {@code ttl: 0} (never expire) is allowed
 * @param maxAppsPerOwner apps one owner may have at once (429 beyond)
 * @param maxEnvEntries / maxEnvBytes caps on env size
 */
public record AppPolicy(Duration defaultTtl, Duration maxTtl, boolean allowNoExpiry, int maxAppsPerOwner,
                        int maxEnvEntries, int maxEnvBytes, ArchiveLimits archive) {

    public static AppPolicy defaults() {
        return new AppPolicy(Duration.ofHours(24), Duration.ofDays(30), true, 50, 100, 64 * 1024, ArchiveLimits.defaults());
    }

    /** Resolves a requested ttl (null: default) to a duration; ZERO means no expiry. */
    public Duration ttl(String requested) {
        if (requested == null || requested.isBlank()) {
            return defaultTtl;
        }
        Duration d = Ttls.parse(requested);
        if (d.isZero() && !allowNoExpiry) {
            throw Problem.badRequest("invalid_ttl", "apps must expire here: give a ttl up to " + Ttls.format(maxTtl));
        }
        if (d.compareTo(maxTtl) > 0) {
            throw Problem.badRequest("invalid_ttl", "ttl " + requested + " is longer than the maximum " + Ttls.format(maxTtl));
        }
        return d;
    }
}
