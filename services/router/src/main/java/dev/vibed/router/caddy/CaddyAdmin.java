package dev.vibed.router.caddy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caddy's admin API over java.net.http. Writes can be made conditional: Caddy answers 412 to an {@code If-Match}
 * that no longer matches the config at a path, which is what keeps several routers from inserting the same route
 * twice (Caddy 2.6 accepts duplicate {@code @id}s).
 */
final class CaddyAdmin {
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    CaddyAdmin(URI base, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/$", ""));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** A GET and the entity tag of what it returned, usable as {@code If-Match} on a write to the same path. */
    record Read(int status, String body, String etag) {
    }

    /** Calls made so far, for metrics and for measuring what a deploy costs Caddy. */
    CaddyAdminCalls calls() {
        return new CaddyAdminCalls(reads.get(), writes.get());
    }

    Read read(String path) throws IOException {
        reads.incrementAndGet();
        HttpResponse<byte[]> res = send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Read(res.statusCode(), new String(res.body(), StandardCharsets.UTF_8), etag(path, res.body()));
    }

    Answer write(String method, String path, String json, String ifMatch) throws IOException {
        writes.incrementAndGet();
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json");
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        HttpRequest req = b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> res = send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    /**
     * Caddy sends a config's ETag only as an HTTP trailer, which java.net.http does not expose; it is
     * {@code "<path> <FNV-1a 32 of the body>"}, so we compute it from the body we read. Should Caddy change the hash,
     * conditional writes fail with 412 and the table's tests say so.
     */
    static String etag(String path, byte[] body) {
        int hash = 0x811c9dc5;
        for (byte b : body) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return "\"" + path + " " + String.format("%08x", hash) + "\"";
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    }

    /**
     * Retries a request whose connection broke: Caddy closes idle admin connections when it reloads its config, and
     * the client may have picked such a pooled connection. Every call here is idempotent or conditional (If-Match),
     * so a repeat is harmless.
     */
    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return http.send(req, handler);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw last;
    }
}
