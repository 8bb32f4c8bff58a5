package dev.vibed.kube.testing;

import org.awaitility.Awaitility;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Caddy (the Debian package) as a plain process: admin API and one HTTP server on loopback ports, its state
 * under a temp XDG dir, started from an initial JSON config with an empty route list, as the chart's Caddy starts.
 * {@link #restart} stops it and starts it again from that config, so it forgets every dynamic route, as a restarted
 * Caddy pod does.
 */
public final class CaddyProcess implements AutoCloseable {
    public static final String SERVER = "vibed";

    private final Path dir;
    private final int adminPort;
    private final int httpPort;
    private final Path binary;
    private Process process;

    private CaddyProcess(Path dir) throws IOException {
        this.dir = dir;
        this.binary = findCaddy();
        this.adminPort = Ports.free();
        this.httpPort = Ports.free();
        Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("caddy.json"), """
                {"admin": {"listen": "127.0.0.1:%d"},
                 "apps": {"http": {"servers": {"%s": {
                   "listen": ["127.0.0.1:%d"], "automatic_https": {"disable": true}, "protocols": ["h1", "h2c"],
                   "routes": []}}}}}
                """.formatted(adminPort, SERVER, httpPort));
        start();
    }

    public static CaddyProcess start(Path dir) {
        try {
            return new CaddyProcess(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findCaddy() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "caddy");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("caddy is not installed (not on PATH): install it with 'apt-get install caddy'"
                + " (these tests run the real Caddy)");
    }

    private void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "run", "--config", dir.resolve("caddy.json").toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("caddy.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("XDG_DATA_HOME", dir.resolve("data").toString());
        env.put("HOME", dir.toString());
        process = pb.start();
        // Should the test JVM end without close() (a crash, a failed @AfterAll), this Caddy goes with it.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "caddy-reaper"));
        Awaitility.await("caddy admin on port " + adminPort).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("caddy exited: " + Files.readString(dir.resolve("caddy.log")));
                    }
                    return Ports.listening(adminPort) && Ports.listening(httpPort);
                });
    }

    /** Stops Caddy (by its PID) and starts it again from the initial config: all dynamic routes are gone. */
    public void restart() {
        stop();
        try {
            start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running Caddy's process id: changes with every {@link #restart}. */
    public long pid() {
        return process.pid();
    }

    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    public int httpPort() {
        return httpPort;
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Awaitility.await("caddy ports released").atMost(Duration.ofSeconds(10))
                .until(() -> !Ports.listening(adminPort) && !Ports.listening(httpPort));
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
