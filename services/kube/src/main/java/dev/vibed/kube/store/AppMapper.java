package dev.vibed.kube.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import dev.vibed.kube.model.EnvVar;
import dev.vibed.kube.model.SourceSpec;
import dev.vibed.kube.model.VersionSpec;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.model.VibedAppSpec;
import dev.vibed.kube.model.VibedAppStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts between core's records and the VibedApp wire form. Times travel as {@link Instant#toString()} so they
 * come back equal: the reconciler compares statuses to skip writes, and a lossy round trip would make it write
 * (and wake itself) forever.
 */
public final class AppMapper {
    private AppMapper() {
    }

    /** The app with env values unknown (empty strings): for components that never read the env Secret. */
    public static App toApp(VibedApp r) {
        return toApp(r, null);
    }

    /**
     * @param envValues the app's env Secret by key; null: values unknown (""). A key the spec names but the Secret
     *                  lacks is an error: injecting a wrong env silently would be worse than retrying.
     */
    public static App toApp(VibedApp r, Map<String, String> envValues) {
        VibedAppSpec s = r.getSpec();
        List<AppVersion> versions = new ArrayList<>();
        for (VersionSpec v : s.getVersions()) {
            versions.add(toVersion(r.getMetadata().getName(), v, envValues));
        }
        AppSpec spec = new AppSpec(s.getName(), s.getOwner(), versions, s.getActiveVersion(), time(s.getExpiresAt()),
                s.isSuspended());
        Long generation = r.getMetadata().getGeneration();
        Instant created = time(r.getMetadata().getCreationTimestamp());
        if (created == null && !versions.isEmpty()) {
            created = versions.getFirst().createdAt();
        }
        return new App(r.getMetadata().getName(), generation == null ? 1 : generation, created, spec,
                toStatus(r.getStatus()), r.getMetadata().getDeletionTimestamp() != null);
    }

    /** The spec as stored. {@code template} mirrors the active version's so {@code kubectl get vapp} can show it. */
    public static VibedAppSpec toSpec(AppSpec spec) {
        VibedAppSpec s = new VibedAppSpec();
        s.setOwner(spec.owner());
        s.setName(spec.name());
        s.setActiveVersion(spec.activeVersion());
        s.setExpiresAt(text(spec.expiresAt()));
        s.setSuspended(spec.suspended());
        List<VersionSpec> versions = new ArrayList<>();
        for (AppVersion v : spec.versions()) {
            versions.add(fromVersion(v));
        }
        s.setVersions(versions);
        s.setTemplate(spec.version(spec.activeVersion()).map(AppVersion::template).orElse(null));
        return s;
    }

    /**
     * Copies core's spec onto an existing wire spec, keeping the fields core does not model (resources, egress) and
     * the env Secret keys of the versions it already had; new versions get fresh keys ({@link #toSpec}).
     */
    public static VibedAppSpec mergeSpec(VibedAppSpec existing, AppSpec spec) {
        VibedAppSpec merged = toSpec(spec);
        if (existing != null) {
            Map<String, String> known = new java.util.HashMap<>();
            for (VersionSpec v : existing.getVersions()) {
                v.getEnv().forEach(e -> known.put(v.getVersion() + "/" + e.getName(), e.getSecretKey()));
            }
            for (VersionSpec v : merged.getVersions()) {
                v.getEnv().forEach(e -> {
                    String key = known.get(v.getVersion() + "/" + e.getName());
                    if (key != null) {
                        e.setSecretKey(key);
                    }
                });
            }
            merged.setResources(existing.getResources());
            merged.setEgress(existing.getEgress());
        }
        return merged;
    }

    public static AppStatus toStatus(VibedAppStatus s) {
        if (s == null || s.getPhase() == null) {
            return AppStatus.pending(s == null ? null : s.getUrl());
        }
        List<Condition> conditions = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Condition c : s.getConditions()) {
            conditions.add(new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                    time(c.getLastTransitionTime()), c.getObservedGeneration() == null ? 0 : c.getObservedGeneration()));
        }
        Map<Integer, String> outcomes = new TreeMap<>();
        s.getOutcomes().forEach((k, v) -> outcomes.put(Integer.parseInt(k), v));
        return new AppStatus(Phase.fromWire(s.getPhase()), s.getUrl(), s.getRouteTarget(), s.getSandboxRef(),
                s.getServingVersion(), s.getFailedVersion(), time(s.getLastDeployedAt()), s.getObservedGeneration(),
                s.getRestarts(), s.getLastCrashLog(), s.getMessage(), conditions, outcomes);
    }

    public static VibedAppStatus fromStatus(AppStatus status) {
        VibedAppStatus s = new VibedAppStatus();
        s.setPhase(status.phase().wire());
        s.setUrl(status.url());
        s.setRouteTarget(status.routeTarget());
        s.setSandboxRef(status.sandboxRef());
        s.setServingVersion(status.servingVersion());
        s.setFailedVersion(status.failedVersion());
        s.setLastDeployedAt(text(status.lastDeployedAt()));
        s.setObservedGeneration(status.observedGeneration());
        s.setRestarts(status.restarts());
        s.setLastCrashLog(status.lastCrashLog());
        s.setMessage(status.message());
        List<io.fabric8.kubernetes.api.model.Condition> conditions = new ArrayList<>();
        for (Condition c : status.conditions()) {
            var k = new io.fabric8.kubernetes.api.model.Condition();
            k.setType(c.type());
            k.setStatus(c.status());
            k.setReason(c.reason());
            k.setMessage(c.message());
            k.setLastTransitionTime(text(c.lastTransitionTime()));
            k.setObservedGeneration(c.observedGeneration());
            conditions.add(k);
        }
        s.setConditions(conditions);
        Map<String, String> outcomes = new LinkedHashMap<>();
        new TreeMap<>(status.outcomes()).forEach((k, v) -> outcomes.put(String.valueOf(k), v));
        s.setOutcomes(outcomes);
        return s;
    }

    /** Every env value of every version of {@code spec}, under the Secret keys its wire form {@code wire} names. */
    public static Map<String, String> envValues(VibedAppSpec wire, AppSpec spec) {
        Map<String, String> out = new TreeMap<>();
        for (VersionSpec w : wire.getVersions()) {
            AppVersion v = spec.version(w.getVersion()).orElseThrow();
            for (EnvVar e : w.getEnv()) {
                if (e.getSecretKey() != null) {
                    out.put(e.getSecretKey(), v.env().getOrDefault(e.getName(), ""));
                }
            }
        }
        return out;
    }

    private static AppVersion toVersion(String appId, VersionSpec v, Map<String, String> envValues) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : v.getEnv()) {
            String value = e.getValue();
            if (value == null && e.getSecretKey() != null && envValues != null) {
                value = envValues.get(e.getSecretKey());
                if (value == null) {
                    throw new EnvNotStoredException("app " + appId + " version " + v.getVersion() + ": env " + e.getName()
                            + " is not (yet) in Secret " + AppEnvSecrets.name(appId));
                }
            }
            env.put(e.getName(), value == null ? "" : value);
        }
        SourceSpec src = v.getSource();
        SourceRef source = src == null ? null : new SourceRef(src.getBlobKey(), src.getSha256(), src.getSizeBytes());
        return new AppVersion(v.getVersion(), time(v.getCreatedAt()), source, v.getLane(), v.getTemplate(), v.getRule(),
                v.getRoot(), env);
    }

    private static VersionSpec fromVersion(AppVersion v) {
        VersionSpec out = new VersionSpec();
        out.setVersion(v.version());
        out.setCreatedAt(text(v.createdAt()));
        out.setSource(v.source() == null ? null
                : new SourceSpec(v.source().blobKey(), v.source().sha256(), v.source().sizeBytes()));
        out.setLane(v.lane());
        out.setTemplate(v.template());
        out.setRule(v.rule());
        out.setRoot(v.root());
        List<EnvVar> env = new ArrayList<>();
        String nonce = AppEnvSecrets.nonce();
        new TreeMap<>(v.env()).forEach((k, val) -> env.add(EnvVar.inSecret(k, AppEnvSecrets.key(v.version(), nonce, k))));
        out.setEnv(env);
        return out;
    }

    private static Instant time(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
