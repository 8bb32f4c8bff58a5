package dev.vibed.standalone.graphql;

import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.RepoRoot;
import jakarta.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The real graphql-ws npm client, run by node as a child process ({@code src/test/node/graphql-ws-client.cjs}):
 * each event it prints is collected here for the test to wait on. The client is installed under
 * {@code .tools/node_modules} by {@code ./vibed test}.
 */
final class GraphQlWsNode implements AutoCloseable {
    private final Process process;
    private final List<JsonObject> events = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private GraphQlWsNode(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> read(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofVirtual().start(() -> read(process.errorReader(StandardCharsets.UTF_8), false));
    }

    static GraphQlWsNode start(URI api, JsonObject spec) {
        Path root = RepoRoot.find();
        Path modules = root.resolve(".tools/node_modules");
        if (!Files.isDirectory(modules.resolve("graphql-ws")) || !Files.isDirectory(modules.resolve("ws"))) {
            throw new IllegalStateException("the graphql-ws npm client is missing: run ./vibed test, or "
                    + "npm install --prefix .tools graphql-ws@6.0.6 ws@8.18.3 graphql@16.11.0");
        }
        String ws = "ws://" + api.getHost() + ":" + api.getPort() + "/graphql";
        ProcessBuilder pb = new ProcessBuilder("node", root.resolve("services/standalone/src/test/node/graphql-ws-client.cjs").toString(),
                ws, spec.toString());
        pb.environment().put("NODE_PATH", modules.toString());
        try {
            return new GraphQlWsNode(pb.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not run node (install it: apt-get install nodejs)", e);
        }
    }

    private void read(BufferedReader reader, boolean stdout) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    if (stdout && line.startsWith("{")) {
                        events.add(Jsons.parseObject(line));
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    synchronized List<JsonObject> events() {
        return List.copyOf(events);
    }

    /** The payloads of the {@code next} events so far (tagged "first" unless given). */
    List<JsonObject> nexts(String tag) {
        return events().stream().filter(e -> e.getString("event").equals("next") && e.getString("tag", "").equals(tag))
                .map(e -> e.getJsonObject("payload")).toList();
    }

    List<JsonObject> nexts() {
        return nexts("first");
    }

    JsonObject awaitEvent(Predicate<JsonObject> which, Duration timeout) {
        JsonObject[] found = new JsonObject[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (JsonObject e : events()) {
                    if (which.test(e)) {
                        found[0] = e;
                        return true;
                    }
                }
                return false;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<JsonObject> seen = events();
            throw new AssertionError("no such graphql-ws event within " + timeout + "; got " + seen.size() + " events, the last "
                    + seen.subList(Math.max(0, seen.size() - 5), seen.size()) + "; stderr: " + stderr(), e);
        }
        return found[0];
    }

    JsonObject awaitEvent(String type, Duration timeout) {
        return awaitEvent(e -> e.getString("event").equals(type), timeout);
    }

    synchronized String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
