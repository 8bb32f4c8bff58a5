package dev.vibed.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The control API (DESIGN section 5). Every endpoint but {@code GET /healthz} needs the bearer token; every
 * error is {@code {code, message}} JSON.
 */
final class ControlServer implements AutoCloseable {
    private static final int MAX_BODY = 256 * 1024;
    private static final int DEFAULT_TAIL = 100;
    private static final Duration MAX_STATUS_WAIT = Duration.ofSeconds(30);
    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Authenticator auth;
    private final Injector injector;
    private final AppSupervisor supervisor;
    private final LogBuffer logs;
    private final RuntimeInfo info;
    private final Duration heartbeat;

    ControlServer(String bind, int port, Authenticator auth, Injector injector, AppSupervisor supervisor,
                  LogBuffer logs, RuntimeInfo info, Duration heartbeat) throws IOException {
        this.auth = auth;
        this.injector = injector;
        this.supervisor = supervisor;
        this.logs = logs;
        this.info = info;
        this.heartbeat = heartbeat;
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    ControlServer start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try {
            dispatch(ex);
        } catch (ApiException e) {
            error(ex, e.status(), e.code(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ex, 503, "unavailable", "the agent is shutting down");
        } catch (IOException e) {
            // The client went away; nothing left to answer.
        } catch (RuntimeException e) {
            AgentLog.info("internal error on " + ex.getRequestURI().getPath() + ": " + e);
            error(ex, 500, "internal", "internal agent error: " + e.getClass().getSimpleName());
        } finally {
            ex.close();
        }
    }

    private void dispatch(HttpExchange ex) throws ApiException, IOException, InterruptedException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/healthz")) {
            requireMethod(method, "GET", "HEAD");
            json(ex, 200, Jsons.builder().add("status", "ok").build());
            return;
        }
        if (!auth.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "a valid bearer token is required");
        }
        switch (path) {
            case "/inject" -> {
                requireMethod(method, "POST");
                inject(ex);
            }
            case "/status" -> {
                requireMethod(method, "GET");
                status(ex);
            }
            case "/logs" -> {
                requireMethod(method, "GET");
                logs(ex);
            }
            case "/stop" -> {
                requireMethod(method, "POST");
                drain(ex);
                supervisor.stop();
                json(ex, 200, supervisor.status().toJson());
            }
            case "/info" -> {
                requireMethod(method, "GET");
                json(ex, 200, info.info());
            }
            default -> throw new ApiException(404, "not_found", "no such endpoint: " + path);
        }
    }

    /**
     * {@code POST /inject}, answered once the app is launched with the agent's status (a superset of the
     * {@code state} and {@code revision} older callers read); with {@code wait=ms}, once the app is past its launch
     * (listening, failed, or installing or building) or the wait is over.
     */
    private void inject(HttpExchange ex) throws IOException, ApiException, InterruptedException {
        Duration wait = waitParameter(query(ex.getRequestURI().getRawQuery()), Duration.ZERO);
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new ApiException(413, "payload_too_large", "the inject body is larger than " + MAX_BODY + " bytes");
        }
        InjectRequest req;
        try {
            JsonObject o = Jsons.parseObject(new String(body, StandardCharsets.UTF_8));
            req = InjectRequest.fromJson(o);
            if (!o.containsKey("port")) {
                // The contract defaults the port; this agent's default comes from its --app-port.
                req = new InjectRequest(req.sourceUrl(), req.sha256(), req.env(), req.entrypoint(),
                        supervisor.defaultPort(), req.template(), req.root(), req.revision());
            }
        } catch (IllegalArgumentException | ArithmeticException | ClassCastException e) {
            throw ApiException.badRequest("bad_request", e.getMessage());
        }
        if (req.port() == port()) {
            throw ApiException.badRequest("bad_request", "'port' " + req.port() + " is the agent's control port");
        }
        Injector.Result r = injector.inject(req);
        long waitFrom = System.nanoTime();
        AgentStatus status = wait.isZero() ? supervisor.status() : supervisor.awaitSettled(r.revision(), wait);
        if (java.util.Objects.equals(status.revision(), r.revision())) {
            // waitedMs: how much of the answer's time was the app's start, not the inject (for the deploy's stages).
            json(ex, 202, jakarta.json.Json.createObjectBuilder(status.toJson())
                    .add("waitedMs", (System.nanoTime() - waitFrom) / 1_000_000).build());
            return;
        }
        // A later inject replaced this one meanwhile: only what this inject itself came to.
        var b = Jsons.builder().add("state", r.state().wire());
        Jsons.addIfPresent(b, "revision", r.revision());
        json(ex, 202, b.build());
    }

    /** {@code GET /status}, or with {@code wait=ms&since=tag} a long-poll that answers when the status changes. */
    private void status(HttpExchange ex) throws IOException, ApiException, InterruptedException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (!q.containsKey("wait")) {
            json(ex, 200, supervisor.status().toJson());
            return;
        }
        json(ex, 200, supervisor.awaitChange(q.getOrDefault("since", ""), waitParameter(q, Duration.ZERO)).toJson());
    }

    private void logs(HttpExchange ex) throws IOException, ApiException, InterruptedException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int tail = DEFAULT_TAIL;
        if (q.containsKey("tail")) {
            try {
                tail = Math.max(0, Integer.parseInt(q.get("tail")));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad_request", "'tail' must be an integer");
            }
        }
        if (!"true".equals(q.get("follow"))) {
            var lines = Jsons.arrayBuilder();
            logs.tail(tail).forEach(l -> lines.add(l.toJson()));
            json(ex, 200, Jsons.builder().add("lines", lines).build());
            return;
        }
        follow(ex, tail);
    }

    /** SSE: the tail first, then lines as they come, a comment as heartbeat; ends when the client leaves. */
    private void follow(HttpExchange ex, int tail) throws IOException, InterruptedException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "text/event-stream; charset=utf-8");
        h.set("Cache-Control", "no-cache");
        h.set("X-Accel-Buffering", "no");
        // The cursor is fixed before the reader sees our headers: every line logged after it reaches the stream.
        long last;
        String resume = ex.getRequestHeaders().getFirst("Last-Event-ID");
        List<LogBuffer.Line> first;
        if (resume != null && resume.matches("\\d{1,18}")) {
            last = Long.parseLong(resume);
            first = List.of();
        } else {
            first = logs.tail(tail);
            last = first.isEmpty() ? logs.lastSeq() : first.getLast().seq();
        }
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(": vibed-agent logs\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<LogBuffer.Line> batch = first;
            while (true) {
                if (batch.isEmpty()) {
                    batch = logs.awaitAfter(last, heartbeat);
                    if (batch.isEmpty()) {
                        out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        continue;
                    }
                }
                StringBuilder events = new StringBuilder();
                for (LogBuffer.Line l : batch) {
                    events.append("id: ").append(l.seq()).append('\n')
                            .append("data: ").append(l.toJson()).append("\n\n");
                    last = l.seq();
                }
                out.write(events.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                batch = List.of();
            }
        }
    }

    /** The {@code wait} query parameter, in milliseconds, bounded by {@link #MAX_STATUS_WAIT}. */
    private static Duration waitParameter(Map<String, String> q, Duration absent) throws ApiException {
        if (!q.containsKey("wait")) {
            return absent;
        }
        long wait;
        try {
            wait = Long.parseLong(q.get("wait"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_request", "'wait' must be a number of milliseconds");
        }
        if (wait < 0 || wait > MAX_STATUS_WAIT.toMillis()) {
            throw ApiException.badRequest("bad_request", "'wait' must be between 0 and " + MAX_STATUS_WAIT.toMillis() + " ms");
        }
        return Duration.ofMillis(wait);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static void requireMethod(String method, String... allowed) throws ApiException {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, "method_not_allowed", "use " + String.join(" or ", allowed));
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readNBytes(MAX_BODY);
        }
    }

    private static void json(HttpExchange ex, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", JSON);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) {
        try {
            json(ex, status, Jsons.builder().add("code", code)
                    .add("message", message == null ? code : message).build());
        } catch (IOException | RuntimeException e) {
            // Headers were already sent (a failed SSE stream) or the client left.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
