package dev.vibed.core.lifecycle;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.blob.BlobStore;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired apps (the reconciler then releases their sandboxes and routes) and removes blobs that no version
 * of any app references. A blob younger than {@code blobGrace} is kept: a deploy stores its blob just before it
 * creates the app that references it.
 */
public final class Collector {
    private static final Logger LOG = Logger.getLogger(Collector.class.getName());

    private final AppStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration blobGrace;

    public Collector(AppStore store, BlobStore blobs, Clock clock, Duration blobGrace) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.blobGrace = blobGrace;
    }

    public record Collected(int apps, int blobs) {
    }

    public Collected collectOnce() {
        Instant now = clock.instant();
        int apps = 0;
        Set<String> referenced = new HashSet<>();
        for (App app : store.list()) {
            app.spec().versions().stream().map(AppVersion::source).forEach(s -> referenced.add(s.blobKey()));
            Instant expires = app.spec().expiresAt();
            if (!app.deleting() && expires != null && !expires.isAfter(now)) {
                LOG.info(() -> "app " + app.id() + " expired at " + expires + "; deleting it");
                store.requestDelete(app.id());
                apps++;
            }
        }
        int removed = 0;
        try {
            for (Map.Entry<String, Instant> blob : blobs.list().entrySet()) {
                if (!referenced.contains(blob.getKey()) && blob.getValue().plus(blobGrace).isBefore(now)) {
                    blobs.delete(blob.getKey());
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "blob collection failed; the next run retries: " + e.getMessage());
        }
        return new Collected(apps, removed);
    }
}
