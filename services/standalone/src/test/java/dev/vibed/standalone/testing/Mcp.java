package dev.vibed.standalone.testing;

import dev.vibed.core.json.Jsons;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw MCP client over HTTP for the protocol tests: it sends exactly the headers and bodies a test gives, and
 * reads both answer forms (JSON, or SSE whose last message is the response), so a test can check the wire.
 */
public final class Mcp {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    public Mcp(URI base) {
        this.endpoint = base.resolve("/mcp");
    }

    public URI endpoint() {
        return endpoint;
    }

    /** One answer: status, headers, and the JSON-RPC messages in the body (one for JSON, each event for SSE). */
    public record Answer(int status, java.net.http.HttpHeaders headers, String body, List<JsonObject> messages) {
        public JsonObject last() {
            return messages.getLast();
        }

        public JsonObject result() {
            return last().getJsonObject("result");
        }

        public int errorCode() {
            return last().getJsonObject("error").getInt("code");
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Answer post(Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        headers.forEach(b::setHeader);
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Answer send(String method, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30));
        headers.forEach(b::setHeader);
        return send(b.method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Opens a session-era session as {@code token}; returns its id. */
    public String initialize(String token, String version) {
        Answer a = post(auth(token), request(1, "initialize", Json.createObjectBuilder()
                .add("protocolVersion", version)
                .add("capabilities", Json.createObjectBuilder())
                .add("clientInfo", Json.createObjectBuilder().add("name", "java-test").add("version", "1"))
                .build()));
        if (a.status() != 200) {
            throw new AssertionError("initialize failed: " + a.status() + " " + a.body());
        }
        String session = a.header("Mcp-Session-Id");
        Map<String, String> h = session(token, session);
        post(h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return session;
    }

    /** {@code tools/call} in a session; the answer's last message is the response. */
    public Answer callTool(String token, String session, String tool, JsonObject arguments) {
        return post(session(token, session), request(7, "tools/call", Json.createObjectBuilder()
                .add("name", tool).add("arguments", arguments).build()));
    }

    public static Map<String, String> auth(String token) {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        return h;
    }

    public static Map<String, String> session(String token, String session) {
        Map<String, String> h = auth(token);
        h.put("Mcp-Session-Id", session);
        return h;
    }

    public static String request(int id, String method, JsonValue params) {
        return Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", id).add("method", method).add("params", params)
                .build().toString();
    }

    private Answer send(HttpRequest req) {
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            List<JsonObject> messages = new ArrayList<>();
            if (type.startsWith("text/event-stream")) {
                for (String line : r.body().split("\n")) {
                    if (line.startsWith("data: ")) {
                        messages.add(Jsons.parseObject(line.substring(6)));
                    }
                }
            } else if (type.startsWith("application/json") && !r.body().isBlank()) {
                messages.add(Jsons.parseObject(r.body()));
            }
            return new Answer(r.statusCode(), r.headers(), r.body(), messages);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
