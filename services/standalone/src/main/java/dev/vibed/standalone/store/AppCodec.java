package dev.vibed.standalone.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The on-disk JSON form of an app in standalone mode (the cluster keeps apps as VibedApp resources instead). */
final class AppCodec {
    private AppCodec() {
    }

    static JsonObject encode(App app) {
        AppSpec spec = app.spec();
        var versions = Jsons.arrayBuilder();
        for (AppVersion v : spec.versions()) {
            versions.add(Jsons.builder()
                    .add("version", v.version())
                    .add("createdAt", v.createdAt().toString())
                    .add("source", Jsons.builder().add("blobKey", v.source().blobKey()).add("sha256", v.source().sha256())
                            .add("sizeBytes", v.source().sizeBytes()))
                    .add("lane", v.lane()).add("template", v.template()).add("rule", v.rule()).add("root", v.root())
                    .add("env", Jsons.object(v.env())));
        }
        JsonObjectBuilder specJson = Jsons.builder()
                .add("name", spec.name()).add("owner", spec.owner()).add("versions", versions)
                .add("activeVersion", spec.activeVersion()).add("suspended", spec.suspended());
        time(specJson, "expiresAt", spec.expiresAt());

        AppStatus s = app.status();
        JsonObjectBuilder status = Jsons.builder()
                .add("phase", s.phase().wire()).add("servingVersion", s.servingVersion()).add("failedVersion", s.failedVersion())
                .add("observedGeneration", s.observedGeneration()).add("restarts", s.restarts());
        Jsons.addIfPresent(status, "url", s.url());
        Jsons.addIfPresent(status, "routeTarget", s.routeTarget());
        Jsons.addIfPresent(status, "sandboxRef", s.sandboxRef());
        Jsons.addIfPresent(status, "lastCrashLog", s.lastCrashLog());
        Jsons.addIfPresent(status, "message", s.message());
        time(status, "lastDeployedAt", s.lastDeployedAt());
        var conditions = Jsons.arrayBuilder();
        for (Condition c : s.conditions()) {
            JsonObjectBuilder cb = Jsons.builder().add("type", c.type()).add("status", c.status())
                    .add("observedGeneration", c.observedGeneration());
            Jsons.addIfPresent(cb, "reason", c.reason());
            Jsons.addIfPresent(cb, "message", c.message());
            time(cb, "lastTransitionTime", c.lastTransitionTime());
            conditions.add(cb);
        }
        status.add("conditions", conditions);
        var outcomes = Jsons.builder();
        s.outcomes().forEach((k, v) -> outcomes.add(String.valueOf(k), v));
        status.add("outcomes", outcomes);

        return Jsons.builder().add("id", app.id()).add("generation", app.generation())
                .add("createdAt", app.createdAt().toString()).add("deleting", app.deleting())
                .add("spec", specJson).add("status", status).build();
    }

    static App decode(JsonObject o) {
        JsonObject spec = o.getJsonObject("spec");
        List<AppVersion> versions = new ArrayList<>();
        for (JsonValue v : spec.getJsonArray("versions")) {
            JsonObject vo = v.asJsonObject();
            JsonObject src = vo.getJsonObject("source");
            versions.add(new AppVersion((int) Jsons.number(vo, "version", 0), Instant.parse(vo.getString("createdAt")),
                    new SourceRef(src.getString("blobKey"), src.getString("sha256"), Jsons.number(src, "sizeBytes", 0)),
                    vo.getString("lane"), vo.getString("template"), vo.getString("rule"), vo.getString("root", ""),
                    Jsons.stringMap(vo, "env")));
        }
        AppSpec appSpec = new AppSpec(spec.getString("name"), spec.getString("owner"), versions,
                (int) Jsons.number(spec, "activeVersion", 1), instant(spec, "expiresAt"), Jsons.bool(spec, "suspended", false));

        JsonObject s = o.getJsonObject("status");
        List<Condition> conditions = new ArrayList<>();
        for (JsonValue v : Jsons.array(s, "conditions")) {
            JsonObject c = v.asJsonObject();
            conditions.add(new Condition(c.getString("type"), c.getString("status"), c.getString("reason", null),
                    c.getString("message", null), instant(c, "lastTransitionTime"), Jsons.number(c, "observedGeneration", 0)));
        }
        Map<Integer, String> outcomes = new TreeMap<>();
        JsonObject oc = s.getJsonObject("outcomes");
        if (oc != null) {
            oc.forEach((k, v) -> outcomes.put(Integer.parseInt(k), ((jakarta.json.JsonString) v).getString()));
        }
        AppStatus status = new AppStatus(Phase.fromWire(s.getString("phase")), s.getString("url", null),
                s.getString("routeTarget", null), s.getString("sandboxRef", null), (int) Jsons.number(s, "servingVersion", 0),
                (int) Jsons.number(s, "failedVersion", 0), instant(s, "lastDeployedAt"), Jsons.number(s, "observedGeneration", 0),
                (int) Jsons.number(s, "restarts", 0), s.getString("lastCrashLog", null), s.getString("message", null),
                conditions, outcomes);
        return new App(o.getString("id"), Jsons.number(o, "generation", 1), Instant.parse(o.getString("createdAt")),
                appSpec, status, Jsons.bool(o, "deleting", false));
    }

    private static void time(JsonObjectBuilder b, String key, Instant t) {
        if (t != null) {
            b.add(key, t.toString());
        }
    }

    private static Instant instant(JsonObject o, String key) {
        return Jsons.string(o, key).map(Instant::parse).orElse(null);
    }
}
