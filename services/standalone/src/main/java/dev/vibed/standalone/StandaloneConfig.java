package dev.vibed.standalone;

import dev.vibed.api.auth.AuthSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the standalone process.
 *
 * @param bind            listen address; with auth mode none only loopback addresses are accepted
 * @param port            API and app proxy port (0: pick a free one, for tests)
 * @param dataDir         apps, blobs and sandboxes live here; apps survive a restart
 * @param templates       templates to offer (those whose runtime is missing are dropped with a warning)
 * @param warmPerTemplate idle sandboxes kept ready per template
 * @param deployWait      how long {@code POST /v1/deploy} waits for the URL to serve before answering 202
 * @param collectEvery    how often expired apps and unreferenced blobs are collected
 * @param blobGrace       an unreferenced blob younger than this is kept (a deploy stores it just before the app)
 * @param auth            how callers authenticate (none, apikey, oidc)
 * @param warmMax         the most idle sandboxes per template that a burst of claims may raise the pool to
 * @param refillGrace     how long the sandbox that replaces a claimed one waits, once the claim's app has started,
 *                        for that app's first answer through the proxy before it starts anyway
 */
public record StandaloneConfig(String bind, int port, Path dataDir, Set<String> templates, int warmPerTemplate,
                               Duration deployWait, Duration collectEvery, Duration blobGrace,
                               AuthSettings auth, int warmMax, Duration refillGrace) {

    public static final Set<String> ALL_TEMPLATES = Set.of("static", "node", "python", "workerd");

    public static StandaloneConfig defaults(Path dataDir) {
        return new StandaloneConfig("127.0.0.1", 8080, dataDir, ALL_TEMPLATES, 1, Duration.ofSeconds(10), Duration.ofMinutes(1),
                Duration.ofMinutes(10), AuthSettings.none(), 2,
                dev.vibed.standalone.sandbox.LocalSandboxPool.DEFAULT_REFILL_GRACE);
    }

    public StandaloneConfig withPort(int value) {
        return new StandaloneConfig(bind, value, dataDir, templates, warmPerTemplate, deployWait, collectEvery, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withTemplates(Set<String> value) {
        return new StandaloneConfig(bind, port, dataDir, value, warmPerTemplate, deployWait, collectEvery, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withCollectEvery(Duration value) {
        return new StandaloneConfig(bind, port, dataDir, templates, warmPerTemplate, deployWait, value, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withBlobGrace(Duration value) {
        return new StandaloneConfig(bind, port, dataDir, templates, warmPerTemplate, deployWait, collectEvery, value, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withDataDir(Path value) {
        return new StandaloneConfig(bind, port, value, templates, warmPerTemplate, deployWait, collectEvery, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withBind(String value) {
        return new StandaloneConfig(value, port, dataDir, templates, warmPerTemplate, deployWait, collectEvery, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withWarmPerTemplate(int value) {
        return new StandaloneConfig(bind, port, dataDir, templates, value, deployWait, collectEvery, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withDeployWait(Duration value) {
        return new StandaloneConfig(bind, port, dataDir, templates, warmPerTemplate, value, collectEvery, blobGrace, auth, warmMax, refillGrace);
    }

    public StandaloneConfig withAuth(AuthSettings value) {
        return new StandaloneConfig(bind, port, dataDir, templates, warmPerTemplate, deployWait, collectEvery, blobGrace, value, warmMax, refillGrace);
    }

    public StandaloneConfig withWarmMax(int value) {
        return new StandaloneConfig(bind, port, dataDir, templates, warmPerTemplate, deployWait, collectEvery, blobGrace, auth, value, refillGrace);
    }

    public StandaloneConfig withRefillGrace(Duration value) {
        return new StandaloneConfig(bind, port, dataDir, templates, warmPerTemplate, deployWait, collectEvery, blobGrace, auth, warmMax, value);
    }
}
