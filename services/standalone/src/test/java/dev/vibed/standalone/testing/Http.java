package dev.vibed.standalone.testing;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A real HTTP client for tests: multipart deploys, JSON calls, and GETs of app hosts through the proxy. */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String authorization;

    public Http(URI base) {
        this(base, null);
    }

    /** Every request carries {@code authorization} as its Authorization header (null: none). */
    public Http(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same client, sending {@code Authorization: <value>} (e.g. {@code Bearer abc}) on every request. */
    public Http withAuthorization(String value) {
        return new Http(base, value);
    }

    public Http withBearer(String token) {
        return withAuthorization("Bearer " + token);
    }

    /** The same client, sending {@code Authorization: Bearer <token>}. */
    public Http as(String token) {
        return withBearer(token);
    }

    public URI base() {
        return base;
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonObject json() {
            return Jsons.parseObject(body);
        }
    }

    public Response deploy(byte[] tarGz, String metadataJson) {
        Multipart mp = new Multipart();
        if (tarGz != null) {
            mp.file("source", "app.tar.gz", "application/gzip", tarGz);
        }
        if (metadataJson != null) {
            mp.field("metadata", metadataJson);
        }
        return send(HttpRequest.newBuilder(base.resolve("/v1/deploy")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.bytes())).build());
    }

    public Response raw(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Response get(String path) {
        return raw("GET", path, null, null);
    }

    public Response json(String method, String path, String json) {
        return raw(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** GET through the embedded proxy with the app's Host header, as a browser on {@code <id>.localhost} would. */
    public Response getHost(String host, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("Host", host).GET().build());
    }

    private Response send(HttpRequest req) {
        if (authorization != null) {
            req = HttpRequest.newBuilder(req, (name, value) -> true).header("Authorization", authorization).build();
        }
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens a server-sent-event stream and collects its lines in the background until closed, for tests that
     * assert what a live stream did or did not deliver.
     */
    public EventStream stream(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return new EventStream(client, b.build());
    }

    /** The lines of one SSE response, as they arrive. */
    public static final class EventStream implements AutoCloseable {
        private final java.util.concurrent.CopyOnWriteArrayList<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;
        private volatile int status;

        EventStream(HttpClient client, HttpRequest req) {
            response = client.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(r -> {
                status = r.statusCode();
                Thread.ofVirtual().start(() -> {
                    try (var body = r.body()) {
                        body.forEach(lines::add);
                    } catch (RuntimeException e) {
                        // closed by the test or the server
                    }
                });
            });
        }

        public int status() {
            return status;
        }

        public java.util.List<String> lines() {
            return java.util.List.copyOf(lines);
        }

        /** The {@code data:} payloads received so far. */
        public java.util.List<String> data() {
            return lines.stream().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).trim()).toList();
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    /** A hand-built multipart/form-data body (the JDK client has none). */
    public static final class Multipart {
        private final String boundary = "vibed-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
                    + "Content-Type: application/json\r\n\r\n");
            write(value);
            write("\r\n");
            return this;
        }

        public Multipart file(String name, String filename, String type, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
