package dev.vibed.cli.http;

import dev.vibed.cli.CliError;
import dev.vibed.cli.config.Connection;
import dev.vibed.cli.term.ProgressBar;
import jakarta.json.JsonObject;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The vibeD REST API over the JDK HTTP client: JSON calls, the multipart deploy upload (streamed from the archive
 * file, counted for the progress bar) and server-sent event streams. Every failure becomes a {@link CliError}.
 */
public final class ApiClient {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Connection connection;
    private final HttpClient http;

    public ApiClient(Connection connection) {
        this.connection = connection;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String server() {
        return connection.server();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public JsonObject get(String path) {
        return ok(call("GET", path, null));
    }

    public JsonObject post(String path, String json) {
        return ok(call("POST", path, json));
    }

    public JsonObject put(String path, String json) {
        return ok(call("PUT", path, json));
    }

    public JsonObject patch(String path, String json) {
        return ok(call("PATCH", path, json));
    }

    public JsonObject delete(String path) {
        return ok(call("DELETE", path, null));
    }

    /** A call whose error answers the caller wants to see itself (no mapping to {@link CliError}). */
    public Answer call(String method, String path, String json) {
        HttpRequest.Builder b = request(path).timeout(CALL_TIMEOUT);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    /**
     * {@code POST /v1/deploy}: the archive as the {@code source} part, streamed, each chunk counted on
     * {@code progress}; {@code uploaded} runs once the last byte has been handed over (the server then starts the app).
     */
    public Answer deploy(Path archive, String metadataJson, ProgressBar progress, Runnable uploaded) {
        String boundary = "vibed-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadataJson + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"source\"; filename=\"source.tar.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long size;
        try {
            size = Files.size(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.BodyPublisher file = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> counted(archive, progress, uploaded)), size);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head), file,
                HttpRequest.BodyPublishers.ofByteArray(tail));
        return send(request("/v1/deploy").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body).build());
    }

    /** Opens a server-sent event stream; an error answer becomes a {@link CliError}. The caller closes the stream. */
    public InputStream events(String path) {
        HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> res = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() >= 400) {
            try (InputStream in = res.body()) {
                ok(new Answer(res.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new CliError(CliError.FAILED, "the server answered HTTP " + res.statusCode());
            }
        }
        return res.body();
    }

    private JsonObject ok(Answer answer) {
        if (answer.status() >= 400) {
            throw Errors.of(connection.server(), answer.status(), answer.json());
        }
        return answer.body().isBlank() ? jakarta.json.Json.createObjectBuilder().build() : answer.json();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(connection.server() + path))
                .header("User-Agent", "vibed-cli");
        if (connection.token() != null) {
            b.header("Authorization", "Bearer " + connection.token());
        }
        return b;
    }

    private Answer send(HttpRequest req) {
        HttpResponse<String> res = exchange(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliError(CliError.UNREACHABLE, "vibeD at " + connection.server() + " did not answer in time; "
                    + "check that it is running and not overloaded");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable();
            }
            throw new CliError(CliError.UNREACHABLE, "the connection to " + connection.server() + " failed ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError(CliError.FAILED, "interrupted");
        }
    }

    private CliError unreachable() {
        return new CliError(CliError.UNREACHABLE, "cannot reach vibeD at " + connection.server()
                + ": start it with `./vibed up`, or point --server or VIBED_URL at a running server");
    }

    private static InputStream counted(Path archive, ProgressBar progress, Runnable uploaded) {
        try {
            return new FilterInputStream(Files.newInputStream(archive)) {
                private boolean ended;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        progress.advance(n);
                    } else if (n < 0 && !ended) {
                        ended = true;
                        uploaded.run();
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
