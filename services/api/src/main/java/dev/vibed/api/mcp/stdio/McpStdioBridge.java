package dev.vibed.api.mcp.stdio;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * {@code vibed mcp --server URL [--token T]}: vibeD's MCP tools over stdio, for clients that only launch local
 * servers (Claude Desktop, some editors). It holds no tools of its own: each JSON-RPC line from stdin is POSTed to
 * the running server's {@code /mcp} with the token, and every message that comes back (JSON, or each SSE event as
 * it arrives, so progress streams through) is written to stdout as one line. The session id and protocol version
 * from {@code initialize} are repeated on later requests, as the HTTP transport asks. Nothing but protocol goes
 * to stdout; diagnostics go to stderr.
 */
public final class McpStdioBridge {
    private static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";

    private final URI endpoint;
    private final String token;
    private final PrintStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private volatile String sessionId;
    private volatile String protocolVersion;

    McpStdioBridge(URI server, String token, PrintStream out) {
        String base = server.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base.endsWith("/mcp") ? base : base + "/mcp");
        this.token = token;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String server = null;
        String token = System.getenv("VIBED_TOKEN");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> server = value(args, ++i);
                case "--token" -> token = value(args, ++i);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (server == null) {
            usage("--server is required");
        }
        // stdout carries the protocol: keep everything else off it.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        new McpStdioBridge(URI.create(server), token, protocol).run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("vibed mcp: " + problem);
        System.err.println("usage: vibed mcp --server http://localhost:8080 [--token TOKEN]   (or set VIBED_TOKEN)");
        System.exit(2);
    }

    void run(BufferedReader in) throws IOException, InterruptedException {
        // Requests run concurrently: a deploy that takes seconds must not hold up a ping or a second call.
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String message = line;
                if (first) {
                    forward(message); // initialize first, so later calls carry its session id
                    first = false;
                } else {
                    calls.submit(() -> forward(message));
                }
            }
            calls.shutdown();
            calls.awaitTermination(5, TimeUnit.MINUTES);
        }
        endSession();
    }

    private void forward(String line) {
        JsonObject message;
        try {
            message = Json.createReader(new StringReader(line)).readObject();
        } catch (JsonParsingException | ClassCastException e) {
            emit(error(JsonValue.NULL, -32700, "Parse error: each line must be one JSON-RPC message"));
            return;
        }
        JsonValue id = message.get("id");
        String method = message.getString("method", null);
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(10))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(line, StandardCharsets.UTF_8));
            if (token != null && !token.isBlank()) {
                req.header("Authorization", "Bearer " + token);
            }
            headers(req, message, method);
            HttpResponse<Stream<String>> res = http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
            res.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = s);
            String type = res.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/event-stream")) {
                try (Stream<String> lines = res.body()) {
                    lines.filter(l -> l.startsWith("data:")).forEach(l -> emit(l.substring(5).strip()));
                }
                return;
            }
            String body;
            try (Stream<String> lines = res.body()) {
                body = String.join("\n", lines.toList());
            }
            if (res.statusCode() == 202 || body.isBlank()) {
                return;
            }
            JsonObject answer = parse(body);
            if (answer != null && answer.containsKey("jsonrpc")) {
                if ("initialize".equals(method) && answer.get("result") instanceof JsonObject r) {
                    protocolVersion = r.getString("protocolVersion", null);
                }
                // A transport-level error has no id; give it the request's, so the client can match it.
                if (answer.get("id") == null || answer.get("id") == JsonValue.NULL) {
                    answer = Json.createObjectBuilder(answer).add("id", id == null ? JsonValue.NULL : id).build();
                }
                if (id != null) {
                    emit(answer.toString());
                }
            } else if (id != null) {
                String why = answer != null && answer.containsKey("message") ? answer.getString("message") : body;
                emit(error(id, res.statusCode() == 401 ? -32001 : -32603, "vibeD answered " + res.statusCode() + ": " + why));
            }
        } catch (IOException e) {
            if (id != null) {
                emit(error(id, -32603, "cannot reach vibeD at " + endpoint + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void headers(HttpRequest.Builder req, JsonObject message, String method) {
        JsonObject params = message.get("params") instanceof JsonObject p ? p : null;
        String modern = params != null && params.get("_meta") instanceof JsonObject meta ? meta.getString(META_VERSION, null) : null;
        if (modern != null) {
            // A 2026-07-28 client: every request stands alone and mirrors its method and name in headers.
            req.header("MCP-Protocol-Version", modern);
            if (method != null) {
                req.header("Mcp-Method", method);
            }
            String name = params.getString("name", params.getString("uri", null));
            if (name != null) {
                req.header("Mcp-Name", name);
            }
            return;
        }
        if (sessionId != null) {
            req.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            req.header("MCP-Protocol-Version", protocolVersion);
        }
    }

    private void endSession() {
        if (sessionId == null) {
            return;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).DELETE()
                .header("Mcp-Session-Id", sessionId);
        if (token != null && !token.isBlank()) {
            req.header("Authorization", "Bearer " + token);
        }
        try {
            http.send(req.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            // the server forgets idle sessions by itself
        }
    }

    private static JsonObject parse(String body) {
        try {
            return Json.createReader(new StringReader(body)).readObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String error(JsonValue id, int code, String message) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", id == null ? JsonValue.NULL : id)
                .add("error", Json.createObjectBuilder().add("code", code).add("message", message));
        return b.build().toString();
    }

    private void emit(String jsonLine) {
        writeLock.lock();
        try {
            out.print(jsonLine.replace("\n", " "));
            out.print('\n');
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }
}
