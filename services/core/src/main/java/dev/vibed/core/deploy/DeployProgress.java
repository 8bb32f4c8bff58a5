package dev.vibed.core.deploy;

import java.util.Locale;

/**
 * Hears how a deploy advances, for front ends that can show it while the call is still running (MCP progress
 * notifications, a CLI spinner). The stages come from real events: the spooled upload, the classifier's verdict,
 * the app's status as the reconciler writes it (store watch) and the serving probe. Stages arrive in order and at
 * most once each; a stage the status skipped over (a fast start) is reported just before the one that follows it.
 * Called on the deploying thread; an implementation must not block for long.
 */
@FunctionalInterface
public interface DeployProgress {
    DeployProgress NONE = (stage, message) -> {
    };

    enum Stage {
        /** The source is spooled and its digest known. */
        RECEIVED,
        /** The classifier chose a template. */
        CLASSIFIED,
        /** A sandbox is bound to this version and has the source. */
        CLAIMED,
        /** The app's process is starting (installing, building, waiting for it to listen). */
        STARTING,
        /** The URL serves this version. */
        SERVING;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** 1-based position, for progress counters. */
        public int step() {
            return ordinal() + 1;
        }

        public static int count() {
            return values().length;
        }
    }

    void stage(Stage stage, String message);
}
