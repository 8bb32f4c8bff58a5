package dev.vibed.standalone.store;

import dev.vibed.standalone.store.AppCodec.StoredApp;
import dev.vibed.standalone.store.AppCodec.StoredCondition;
import dev.vibed.standalone.store.AppCodec.StoredSource;
import dev.vibed.standalone.store.AppCodec.StoredSpec;
import dev.vibed.standalone.store.AppCodec.StoredStatus;
import dev.vibed.standalone.store.AppCodec.StoredVersion;

import dev.vibed.core.json.JsonText;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link StoredApp} as the exact text JSON-B writes for it (fields in lexicographic order, nulls left out,
 * instants as ISO-8601), by hand: every status change of every app is saved, and JSON-B's reflective walk was most
 * of a save's CPU. Reading stays with JSON-B ({@link AppCodec#decode}); a test holds the two texts equal.
 */
final class StoredAppJson {
    private final StringBuilder out = new StringBuilder(1024);
    private boolean first;

    private StoredAppJson() {
    }

    static String write(StoredApp app) {
        StoredAppJson w = new StoredAppJson();
        w.app(app);
        return w.out.toString();
    }

    private void app(StoredApp a) {
        open();
        field("createdAt", a.createdAt());
        field("deleting", a.deleting());
        field("generation", a.generation());
        field("id", a.id());
        name("spec");
        spec(a.spec());
        name("status");
        status(a.status());
        close();
    }

    private void spec(StoredSpec s) {
        if (s == null) {
            out.append("null");
            return;
        }
        open();
        field("activeVersion", s.activeVersion());
        field("expiresAt", s.expiresAt());
        field("name", s.name());
        field("owner", s.owner());
        field("suspended", s.suspended());
        if (s.versions() != null) {
            name("versions");
            out.append('[');
            for (int i = 0; i < s.versions().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                version(s.versions().get(i));
            }
            out.append(']');
        }
        close();
    }

    private void version(StoredVersion v) {
        open();
        field("createdAt", v.createdAt());
        field("env", v.env());
        field("lane", v.lane());
        field("root", v.root());
        field("rule", v.rule());
        if (v.source() != null) {
            name("source");
            source(v.source());
        }
        field("template", v.template());
        field("version", v.version());
        close();
    }

    private void source(StoredSource s) {
        open();
        field("blobKey", s.blobKey());
        field("sha256", s.sha256());
        field("sizeBytes", s.sizeBytes());
        close();
    }

    private void status(StoredStatus s) {
        if (s == null) {
            out.append("null");
            return;
        }
        open();
        conditions(s.conditions());
        field("failedVersion", s.failedVersion());
        field("lastCrashLog", s.lastCrashLog());
        field("lastDeployedAt", s.lastDeployedAt());
        field("message", s.message());
        field("observedGeneration", s.observedGeneration());
        field("outcomes", s.outcomes());
        field("phase", s.phase());
        field("restarts", s.restarts());
        field("routeTarget", s.routeTarget());
        field("sandboxRef", s.sandboxRef());
        field("servingVersion", s.servingVersion());
        field("url", s.url());
        close();
    }

    private void conditions(List<StoredCondition> conditions) {
        if (conditions == null) {
            return;
        }
        name("conditions");
        out.append('[');
        for (int i = 0; i < conditions.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            StoredCondition c = conditions.get(i);
            open();
            field("lastTransitionTime", c.lastTransitionTime());
            field("message", c.message());
            field("observedGeneration", c.observedGeneration());
            field("reason", c.reason());
            field("status", c.status());
            field("type", c.type());
            close();
        }
        out.append(']');
    }

    private void open() {
        out.append('{');
        first = true;
    }

    private void close() {
        out.append('}');
        first = false;
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(name);
        out.append(':');
    }

    private void field(String name, String value) {
        if (value != null) {
            name(name);
            string(value);
        }
    }

    private void field(String name, Instant value) {
        if (value != null) {
            field(name, DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }

    private void field(String name, long value) {
        name(name);
        out.append(value);
    }

    private void field(String name, boolean value) {
        name(name);
        out.append(value);
    }

    private void field(String name, Map<String, String> map) {
        if (map == null) {
            return;
        }
        name(name);
        out.append('{');
        boolean firstEntry = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!firstEntry) {
                out.append(',');
            }
            firstEntry = false;
            string(e.getKey());
            out.append(':');
            if (e.getValue() == null) {
                out.append("null");
            } else {
                string(e.getValue());
            }
        }
        out.append('}');
    }

    private void string(String s) {
        JsonText.string(out, s);
    }
}
