package dev.vibed.standalone.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.json.JsonBinding;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The on-disk JSON form of an app in standalone mode (the cluster keeps apps as VibedApp resources instead): records
 * mapped with JSON-B, apart from the domain records so that a refactoring of the model never silently changes the
 * files of existing data dirs. The phase is stored by its wire name and version keys as text.
 */
public final class AppCodec {
    private static final JsonBinding JSON = JsonBinding.camelCase();

    private AppCodec() {
    }

    public record StoredApp(String id, long generation, Instant createdAt, boolean deleting, StoredSpec spec, StoredStatus status) {
    }

    public record StoredSpec(String name, String owner, List<StoredVersion> versions, int activeVersion, boolean suspended,
                      Instant expiresAt) {
    }

    public record StoredVersion(int version, Instant createdAt, StoredSource source, String lane, String template, String rule,
                         String root, Map<String, String> env) {
    }

    public record StoredSource(String blobKey, String sha256, long sizeBytes) {
    }

    public record StoredStatus(String phase, String url, String routeTarget, String sandboxRef, int servingVersion,
                        int failedVersion, Instant lastDeployedAt, long observedGeneration, int restarts,
                        String lastCrashLog, String message, List<StoredCondition> conditions, Map<String, String> outcomes) {
    }

    public record StoredCondition(String type, String status, String reason, String message, long observedGeneration,
                           Instant lastTransitionTime) {
    }

    static String encode(App app) {
        return StoredAppJson.write(stored(app));
    }

    /** The record JSON-B would write for {@code app}; {@link StoredAppJson} writes the same text faster. */
    static StoredApp stored(App app) {
        AppSpec spec = app.spec();
        AppStatus s = app.status();
        Map<String, String> outcomes = new TreeMap<>();
        s.outcomes().forEach((k, v) -> outcomes.put(String.valueOf(k), v));
        return new StoredApp(app.id(), app.generation(), app.createdAt(), app.deleting(),
                new StoredSpec(spec.name(), spec.owner(), spec.versions().stream().map(AppCodec::stored).toList(),
                        spec.activeVersion(), spec.suspended(), spec.expiresAt()),
                new StoredStatus(s.phase().wire(), s.url(), s.routeTarget(), s.sandboxRef(), s.servingVersion(),
                        s.failedVersion(), s.lastDeployedAt(), s.observedGeneration(), s.restarts(), s.lastCrashLog(),
                        s.message(), s.conditions().stream().map(c -> new StoredCondition(c.type(), c.status(), c.reason(),
                        c.message(), c.observedGeneration(), c.lastTransitionTime())).toList(), outcomes));
    }

    static App decode(String json) {
        StoredApp o = JSON.fromJson(json, StoredApp.class);
        StoredSpec sp = o.spec();
        AppSpec spec = new AppSpec(sp.name(), sp.owner(), sp.versions().stream().map(AppCodec::version).toList(),
                sp.activeVersion(), sp.expiresAt(), sp.suspended());
        StoredStatus st = o.status();
        Map<Integer, String> outcomes = new TreeMap<>();
        if (st.outcomes() != null) {
            st.outcomes().forEach((k, v) -> outcomes.put(Integer.parseInt(k), v));
        }
        List<Condition> conditions = st.conditions() == null ? List.of() : st.conditions().stream()
                .map(c -> new Condition(c.type(), c.status(), c.reason(), c.message(), c.lastTransitionTime(), c.observedGeneration()))
                .toList();
        AppStatus status = new AppStatus(Phase.fromWire(st.phase()), st.url(), st.routeTarget(), st.sandboxRef(),
                st.servingVersion(), st.failedVersion(), st.lastDeployedAt(), st.observedGeneration(), st.restarts(),
                st.lastCrashLog(), st.message(), conditions, outcomes);
        return new App(o.id(), o.generation(), o.createdAt(), spec, status, o.deleting());
    }

    private static StoredVersion stored(AppVersion v) {
        return new StoredVersion(v.version(), v.createdAt(), new StoredSource(v.source().blobKey(), v.source().sha256(),
                v.source().sizeBytes()), v.lane(), v.template(), v.rule(), v.root(), v.env());
    }

    private static AppVersion version(StoredVersion v) {
        return new AppVersion(v.version(), v.createdAt(), new SourceRef(v.source().blobKey(), v.source().sha256(),
                v.source().sizeBytes()), v.lane(), v.template(), v.rule(), v.root(), v.env());
    }
}
