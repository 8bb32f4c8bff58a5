package dev.vibed.core.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the user asked for. {@code versions} is the bounded history; {@code activeVersion} is the one that should
 * serve. {@code expiresAt} null means no expiry.
 */
public record AppSpec(String name, String owner, List<AppVersion> versions, int activeVersion, Instant expiresAt,
                      boolean suspended) {

    /** Older versions beyond this are forgotten (and their blobs collected when nothing else uses them). */
    public static final int MAX_VERSIONS = 20;

    public AppSpec {
        versions = List.copyOf(versions);
    }

    public Optional<AppVersion> version(int number) {
        return versions.stream().filter(v -> v.version() == number).findFirst();
    }

    public AppVersion active() {
        return version(activeVersion).orElseThrow(() -> new IllegalStateException("active version " + activeVersion + " missing"));
    }

    public int latestVersionNumber() {
        return versions.stream().mapToInt(AppVersion::version).max().orElse(0);
    }

    /** Adds a version, makes it active and trims the history to {@link #MAX_VERSIONS}. */
    public AppSpec withNewVersion(AppVersion v) {
        var list = new java.util.ArrayList<>(versions);
        list.add(v);
        while (list.size() > MAX_VERSIONS) {
            list.removeFirst();
        }
        return new AppSpec(name, owner, list, v.version(), expiresAt, suspended);
    }

    public AppSpec withActiveVersion(int number) {
        return new AppSpec(name, owner, versions, number, expiresAt, suspended);
    }

    public AppSpec withSuspended(boolean value) {
        return new AppSpec(name, owner, versions, activeVersion, expiresAt, value);
    }

    public AppSpec withExpiresAt(Instant value) {
        return new AppSpec(name, owner, versions, activeVersion, value, suspended);
    }
}
