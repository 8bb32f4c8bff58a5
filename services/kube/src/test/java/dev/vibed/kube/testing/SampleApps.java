package dev.vibed.kube.testing;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Apps built directly (not through a deploy), for tests that drive the store or the controller by hand. */
public final class SampleApps {
    private SampleApps() {
    }

    public static App app(String owner, String name, String template, String sha256) {
        return app(owner, name, template, new SourceRef(BlobStore.keyFor(sha256), sha256, 1234));
    }

    public static App app(String owner, String name, String template, SourceRef source) {
        String id = AppIds.appId(owner, name);
        Instant now = Instant.parse("2026-03-01T10:15:30.123456789Z");
        AppVersion v1 = new AppVersion(1, now, source, "fast", template,
                "static-index", "", Map.of("GREETING", "hello", "MODE", "test"));
        AppSpec spec = new AppSpec(name, owner, List.of(v1), 1, Instant.now().plusSeconds(86_400), false);
        return new App(id, 1, now, spec, AppStatus.pending("http://" + id + ".apps.test/"), false);
    }

    public static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }
}
