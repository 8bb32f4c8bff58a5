package dev.vibed.agent.testing;

import dev.vibed.agent.AgentHandle;
import dev.vibed.agent.AgentLauncher;
import dev.vibed.agent.AgentOptions;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code vibed-agent} process started through {@link AgentLauncher}, a client for its control API, and a
 * {@link SourceServer} to pull archives from. One per test class: starting agents is the slow part.
 */
public final class TestAgent implements AutoCloseable {
    private final AgentHandle handle;
    private final AgentOptions options;
    private final Path logFile;
    private final SourceServer sources = new SourceServer();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int counter;

    private TestAgent(AgentHandle handle, AgentOptions options, Path logFile) {
        this.handle = handle;
        this.options = options;
        this.logFile = logFile;
    }

    public static TestAgent start(Path dir, UnaryOperator<AgentOptions> customize) {
        try {
            Path workspace = dir.resolve("workspace");
            AgentOptions opts = customize.apply(AgentOptions.defaults(workspace)
                    .withControlPort(0).withAppPort(FreePort.find()).withStopGrace(Duration.ofSeconds(2)));
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            Path log = dir.resolve("agent.log");
            AgentHandle h = AgentLauncher.start(Binaries.javaHome(), opts, HexFormat.of().formatHex(secret), log,
                    Duration.ofSeconds(30));
            return new TestAgent(h, opts, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public AgentHandle handle() {
        return handle;
    }

    public AgentOptions options() {
        return options;
    }

    public Path workspace() {
        return options.workspace();
    }

    public SourceServer sources() {
        return sources;
    }

    public String token() {
        return handle.token();
    }

    public String agentLog() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(no agent log: " + e + ")";
        }
    }

    // ---- control API

    public HttpResponse<String> call(String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(handle.controlUri().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String path) {
        return call("GET", path, null, token());
    }

    public HttpResponse<String> post(String path, String body) {
        return call("POST", path, body, token());
    }

    public AgentStatus status() {
        HttpResponse<String> r = get("/status");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /status answered " + r.statusCode() + ": " + r.body());
        }
        return AgentStatus.fromJson(Jsons.parseObject(r.body()));
    }

    /**
     * The processes under the agent while a pre-started runtime waits (a loader outside the current app's tree);
     * empty while none does. A claim takes the waiting runtime, so a test that expects one waits for this first.
     */
    public Optional<Set<Long>> processesWithWarmRuntimeWaiting() {
        ProcessHandle agentProcess = ProcessHandle.of(handle.pid()).orElseThrow();
        long appPid = status().pid();
        Set<Long> app = ProcessHandle.of(appPid).map(p -> Stream.concat(Stream.of(p),
                p.descendants()).map(ProcessHandle::pid).collect(Collectors.toSet())).orElse(Set.of());
        List<ProcessHandle> all = agentProcess.descendants().toList();
        boolean waiting = all.stream().filter(p -> !app.contains(p.pid())).anyMatch(p -> lastArgument(p.pid())
                .contains("vibeD warm runtime"));
        return waiting ? Optional.of(all.stream().map(ProcessHandle::pid)
                .collect(Collectors.toSet())) : Optional.empty();
    }

    /** The last argument of a process, read whole: the JDK's {@code ProcessHandle.Info} reads one page only. */
    private static String lastArgument(long pid) {
        try {
            byte[] cmdline = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid), "cmdline"));
            String[] args = new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).split("\0");
            return args.length == 0 ? "" : args[args.length - 1];
        } catch (java.io.IOException e) {
            return ""; // gone meanwhile
        }
    }

    /** Publishes the archive on the source server and injects it; returns the raw answer. */
    public HttpResponse<String> inject(TarGz archive, String template, Map<String, String> env, String entrypoint) {
        return inject(archive, template, env, entrypoint, "");
    }

    /** @param root the app's folder inside the archive, as the classifier would name it */
    public HttpResponse<String> inject(TarGz archive, String template, Map<String, String> env, String entrypoint,
                                       String root) {
        return inject(request(archive, template, env, entrypoint, root));
    }

    /** Publishes the archive on the source server; returns the inject that would deploy it, as a new revision. */
    public InjectRequest request(TarGz archive, String template, Map<String, String> env, String entrypoint,
                                 String root) {
        byte[] bytes = archive.bytes();
        String revision = "rev-" + (++counter);
        String url = sources.put(revision + ".tar.gz", bytes);
        return new InjectRequest(url, SourceServer.sha256(bytes), env, entrypoint, options.appPort(), template,
                root, revision);
    }

    public HttpResponse<String> inject(InjectRequest request) {
        return post("/inject", request.toJson().toString());
    }

    /** Injects and waits until the app listens; returns the revision. */
    public String deploy(TarGz archive, String template, Map<String, String> env) {
        return deploy(archive, template, env, "");
    }

    public String deploy(TarGz archive, String template, Map<String, String> env, String root) {
        HttpResponse<String> r = inject(archive, template, env, null, root);
        if (r.statusCode() != 202) {
            throw new AssertionError("inject answered " + r.statusCode() + ": " + r.body());
        }
        String revision = Jsons.string(Jsons.parseObject(r.body()), "revision").orElseThrow();
        awaitListening(revision);
        return revision;
    }

    public AgentStatus awaitListening(String revision) {
        return awaitStatus(Duration.ofSeconds(40), s -> {
            if (s.state() == AgentState.EXITED || s.state() == AgentState.CRASHLOOP) {
                throw new AssertionError("the app stopped: " + s.toJson()
                        + "\nagent log:\n" + agentLog());
            }
            return revision.equals(s.revision()) && s.state() == AgentState.RUNNING && s.listening();
        });
    }

    public AgentStatus awaitStatus(Duration atMost, java.util.function.Predicate<AgentStatus> condition) {
        AgentStatus[] last = new AgentStatus[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = status();
            return condition.test(last[0]);
        });
        return last[0];
    }

    // ---- the app

    public HttpResponse<String> app(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.appPort() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<String> app(String path) {
        return app("GET", path);
    }

    public JsonObject appJson(String path) {
        HttpResponse<String> r = app(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("app answered " + r.statusCode() + ": " + r.body());
        }
        return Jsons.parseObject(r.body());
    }

    public HttpClient http() {
        return http;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        handle.close();
        sources.close();
    }
}
