package dev.vibed.charts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real Caddy (Debian package {@code caddy}) started from the chart's Caddy ConfigMap, as the pod starts it (and
 * restarts it): only the listen addresses move to free loopback ports, plus what a test changes to stand in for the
 * cluster (its DNS, the page server's address).
 */
final class ChartCaddy implements AutoCloseable {
    private static final Path CADDY = Path.of("/usr/bin/caddy");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int http;
    final int health;
    final int admin;
    private final Path dir;
    private final Process process;

    private ChartCaddy(int http, int health, int admin, Path dir, Process process) {
        this.http = http;
        this.health = health;
        this.admin = admin;
        this.dir = dir;
        this.process = process;
    }

    /** The {@code caddy.json} of the chart's Caddy ConfigMap. */
    static String config(Chart.Rendered rendered) {
        return rendered.get("ConfigMap", "vibed-caddy", ConfigMap.class).getData().get("caddy.json");
    }

    /** Starts Caddy on {@code config} once {@code standIn} has edited it, and waits until it answers its probe. */
    static ChartCaddy start(String config, Consumer<ObjectNode> standIn) throws Exception {
        assertCaddy();
        int http = freePort();
        int health = freePort();
        int admin = freePort();
        ObjectNode root = (ObjectNode) Serialization.jsonMapper().readTree(config);
        ObjectNode adminNode = (ObjectNode) root.get("admin");
        adminNode.put("listen", "127.0.0.1:" + admin);
        ((ArrayNode) adminNode.get("origins")).add("127.0.0.1:" + admin);
        ObjectNode httpApp = (ObjectNode) root.at("/apps/http");
        httpApp.put("http_port", http);
        ObjectNode servers = (ObjectNode) httpApp.get("servers");
        ((ObjectNode) servers.get("vibed")).set("listen", listen(http));
        ((ObjectNode) servers.get("health")).set("listen", listen(health));
        standIn.accept(root);

        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "caddy-");
        Path file = Files.writeString(dir.resolve("caddy.json"), Serialization.jsonMapper().writeValueAsString(root));
        ProcessBuilder pb = new ProcessBuilder(List.of(CADDY.toString(), "run", "--config", file.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("caddy.log").toFile());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        ChartCaddy caddy = new ChartCaddy(http, health, admin, dir, pb.start());
        try {
            caddy.awaitUp();
        } catch (Exception | AssertionError e) {
            caddy.close();
            throw e;
        }
        return caddy;
    }

    static void assertCaddy() {
        if (!Files.exists(CADDY)) {
            throw new AssertionError("Caddy is needed: apt-get install -y caddy (./vibed test installs it)");
        }
    }

    HttpResponse<String> get(int port, String path, String host) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (host != null) {
            request.header("Host", host);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the health port (a bounded wait: Caddy has no readiness signal on its output). */
    private void awaitUp() throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                if (get(health, "/healthz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Caddy did not come up with the chart's config; its log:\n"
                + Files.readString(dir.resolve("caddy.log")), last);
    }

    private static ArrayNode listen(int port) {
        return Serialization.jsonMapper().createArrayNode().add("127.0.0.1:" + port);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
