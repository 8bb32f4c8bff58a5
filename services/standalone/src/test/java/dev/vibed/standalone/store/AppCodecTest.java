package dev.vibed.standalone.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.json.JsonBinding;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The app file: written by hand as JSON-B would write it, read back by JSON-B into the same app. */
class AppCodecTest {

    @Test
    void theHandWrittenTextIsJsonBsTextAndReadsBackAsTheSameApp() {
        for (App app : List.of(fresh(), everyFieldSet())) {
            String text = AppCodec.encode(app);
            assertThat(text).isEqualTo(JsonBinding.camelCase().toJson(AppCodec.stored(app)));
            assertThat(AppCodec.decode(text)).isEqualTo(app);
        }
    }

    private static App fresh() {
        AppVersion v1 = new AppVersion(1, Instant.parse("2026-12-01T10:00:00Z"),
                new SourceRef("sha256/" + "a".repeat(64) + ".tar.gz", "a".repeat(64), 1234), "fast", "static", "index.html", "", Map.of());
        return new App("abcdefghijkl", 1, Instant.parse("2026-12-01T10:00:00.123456789Z"),
                new AppSpec("site", "alice", List.of(v1), 1, null, false), AppStatus.pending("http://site.localhost:8080"), false);
    }

    /** Nothing null, text that needs escaping, several versions, conditions and outcomes. */
    private static App everyFieldSet() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUOTE", "say \"hi\" \\ back");
        env.put("CONTROL", "tab\tnew\nline\rcr\bbs\fff\u0001\u001f");
        env.put("UNICODE", "grüße, 日本, /slash/, emoji \uD83D\uDE00");
        env.put("EMPTY", "");
        AppVersion v1 = new AppVersion(1, Instant.parse("2026-12-01T10:00:00Z"),
                new SourceRef("sha256/" + "a".repeat(64) + ".tar.gz", "a".repeat(64), 1234), "fast", "static", "index.html", "dist", env);
        AppVersion v2 = new AppVersion(2, Instant.parse("2026-12-01T11:00:00.5Z"),
                new SourceRef("sha256/" + "b".repeat(64) + ".tar.gz", "b".repeat(64), Long.MAX_VALUE), "build", "node", "package.json", "", Map.of("A", "1"));
        Map<Integer, String> outcomes = new TreeMap<>(Map.of(1, "replaced", 2, "live"));
        AppStatus status = new AppStatus(Phase.READY, "http://site.localhost:8080", "127.0.0.1:41234", "sandbox-1", 2, 1,
                Instant.parse("2026-12-01T11:00:01Z"), 7, 3, "Error: \"boom\"\n  at x", "version 2 serves",
                List.of(new Condition(Condition.READY, "True", "Serving", "version 2 serves", Instant.parse("2026-12-01T11:00:01Z"), 7),
                        new Condition(Condition.DEPLOYED, "True", "RolledOut", "version 2 is live", Instant.EPOCH, 6)),
                outcomes);
        return new App("abcdefghijkl", 7, Instant.parse("2026-12-01T10:00:00Z"),
                new AppSpec("site", "alice", List.of(v1, v2), 2, Instant.parse("2026-12-31T00:00:00Z"), true), status, true);
    }
}
