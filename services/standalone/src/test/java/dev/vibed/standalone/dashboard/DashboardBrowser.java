package dev.vibed.standalone.dashboard;

import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.RepoRoot;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/dashboard-e2e.cjs}: the machine's Chromium driven by playwright-core (installed under
 * {@code .tools/node_modules} by {@code ./vibed test}), a person's clicks on the real dashboard. What the script
 * observed comes back by name for the test to assert on.
 */
final class DashboardBrowser {
    private DashboardBrowser() {
    }

    record Run(int exit, Map<String, JsonValue> seen, String output) {
        String text(String what) {
            JsonValue v = seen.get(what);
            if (v == null) {
                throw new AssertionError("the browser never saw '" + what + "'; its output:\n" + output);
            }
            return v.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) v).getString() : v.toString();
        }
    }

    static Run run(String scenario, JsonObject args) throws IOException, InterruptedException {
        Path root = RepoRoot.find();
        Path modules = root.resolve(".tools/node_modules");
        if (!Files.isDirectory(modules.resolve("playwright-core"))) {
            throw new IllegalStateException("playwright-core is missing: run ./vibed test, or "
                    + "npm install --prefix .tools playwright-core@1.65.1");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            throw new IllegalStateException("chromium is missing: apt-get install chromium (./vibed test does this as root)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", root.resolve("services/standalone/src/test/node/dashboard-e2e.cjs").toString(),
                scenario, args.toString()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String output = new String(out, StandardCharsets.UTF_8);
        Map<String, JsonValue> seen = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{\"what\"")) {
                JsonObject o = Jsons.parseObject(line);
                seen.put(o.getString("what"), o.get("value"));
            }
        }
        return new Run(process.exitValue(), seen, output);
    }
}
