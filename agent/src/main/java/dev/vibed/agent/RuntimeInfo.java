package dev.vibed.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /info}: which templates this sandbox can run and on which runtime versions. Versions are asked
 * once, on first use, not at start: forking three runtimes would cost the agent its fast start.
 * A runtime that is missing (or does not answer) is listed under {@code absent}, not under {@code runtimes},
 * and the templates that need it are left out.
 */
final class RuntimeInfo {
    static final String CONTRACT = "v1";

    private final Runtimes runtimes;
    private volatile JsonObject cached;

    RuntimeInfo(Runtimes runtimes) {
        this.runtimes = runtimes;
    }

    JsonObject info() {
        JsonObject c = cached;
        if (c == null) {
            synchronized (this) {
                c = cached;
                if (c == null) {
                    c = detect();
                    cached = c;
                }
            }
        }
        return c;
    }

    private JsonObject detect() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("node", version(runtimes.node(), "--version"));
        versions.put("python", strip(version(runtimes.python3(), "--version"), "Python "));
        versions.put("workerd", strip(version(runtimes.workerd(), "--version"), "workerd "));
        Map<String, String> templateRuntime = Map.of("node", "node", "python", "python", "workerd", "workerd");
        var templates = Jsons.arrayBuilder().add("static");
        var present = Jsons.builder();
        var absent = Jsons.arrayBuilder();
        versions.forEach((runtime, version) -> {
            if (version == null) {
                absent.add(runtime);
            } else {
                present.add(runtime, version);
                templates.add(templateRuntime.get(runtime));
            }
        });
        return Jsons.builder().add("templates", templates).add("runtimes", present).add("absent", absent)
                .add("agentContract", CONTRACT).build();
    }

    private static String strip(String version, String prefix) {
        return version != null && version.startsWith(prefix) ? version.substring(prefix.length()) : version;
    }

    /** First line of {@code binary --version}, or null when it is absent or fails. */
    static String version(Path binary, String flag) {
        if (binary == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), flag).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String first = out.strip().lines().findFirst().orElse("");
            return p.exitValue() == 0 && !first.isEmpty() ? first : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
