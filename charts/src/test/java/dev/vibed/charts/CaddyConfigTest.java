package dev.vibed.charts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Caddy config the chart ships, run by a real Caddy (Debian package {@code caddy}): it must load, answer the
 * probes on its health port, give an unknown host the router's 404 fallback (never Caddy's empty 200), and accept
 * the router's admin calls. Only the listen ports are moved to free loopback ports.
 */
class CaddyConfigTest {

    @Test
    void theShippedConfigLoadsServesTheFallbackAndTheProbes() throws Exception {
        Path caddy = Path.of("/usr/bin/caddy");
        assertThat(caddy).as("Caddy is needed: apt-get install -y caddy (./vibed test installs it)").exists();
        String config = Chart.render("values-kind.yaml").get("ConfigMap", "vibed-caddy", ConfigMap.class).getData().get("caddy.json");
        assertThat(config).contains("\"vibed-fallback\"", "\"admin\"", ":9180");

        int http = freePort();
        int health = freePort();
        int admin = freePort();
        String local = config.replace("\":8080\"", "\"127.0.0.1:" + http + "\"").replace("\"http_port\": 8080", "\"http_port\": " + http)
                .replace("\":9180\"", "\"127.0.0.1:" + health + "\"").replace("\"0.0.0.0:2019\"", "\"127.0.0.1:" + admin + "\"")
                .replace("vibed-caddy-admin:2019", "127.0.0.1:" + admin);
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "caddy-");
        Path file = Files.writeString(dir.resolve("caddy.json"), local);
        ProcessBuilder pb = new ProcessBuilder(List.of(caddy.toString(), "run", "--config", file.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("caddy.log").toFile());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process process = pb.start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> healthz = retry(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/healthz")).build(), dir);
            assertThat(healthz.statusCode()).isEqualTo(200);
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).as("Prometheus text from Caddy's metrics handler").contains("# TYPE go_goroutines gauge");

            HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/"))
                    .header("Host", "nope.127.0.0.1.nip.io").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("X-Vibed-Fallback")).contains("true");

            HttpResponse<String> routes = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/config/apps/http/servers/vibed/routes")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(routes.statusCode()).as("the router's admin calls: %s", routes.body()).isEqualTo(200);
            assertThat(routes.body()).contains("vibed-fallback");
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Until Caddy accepts the request: at most 50 tries 100 ms apart (about 5 s), the interval only how often to try. */
    private static HttpResponse<String> retry(HttpClient client, HttpRequest request, Path dir) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("Caddy did not come up with the chart's config; its log:\n"
                + Files.readString(dir.resolve("caddy.log")), last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
