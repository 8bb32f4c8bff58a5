package dev.vibed.core.quota;

/**
 * Per-user limits every front end shares. Apps per owner lives in {@link dev.vibed.core.lifecycle.AppPolicy}
 * because the deploy rules read it; these are the rates and the live streams.
 *
 * @param deploysPerMinute   deploys (uploads, redeploys, rollbacks, env changes) one user may start per minute (429)
 * @param maxLogStreams      log follows one user may hold open at once (429)
 * @param maxWatches         live watches (subscriptions, SSE status) one user may hold open at once (429)
 */
public record Quotas(int deploysPerMinute, int maxLogStreams, int maxWatches) {

    public static Quotas defaults() {
        return new Quotas(30, 10, 20);
    }

    public Quotas {
        if (deploysPerMinute < 1 || maxLogStreams < 1 || maxWatches < 1) {
            throw new IllegalArgumentException("quotas must be at least 1");
        }
    }
}
