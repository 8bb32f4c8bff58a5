package dev.vibed.controller.testing;

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

/** The vibed REST API as a user's client sees it: multipart deploys, app reads and deletes. */
public final class VibedHttp {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public VibedHttp(URI base) {
        this.base = base;
    }

    public record Answer(int status, JsonObject body) {
    }

    public Answer deploy(byte[] tarGz, String metadataJson) {
        String boundary = "vibed-test-boundary-7d1f";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadataJson + "\r\n");
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"source\"; filename=\"app.tar.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n");
        body.writeBytes(tarGz);
        write(body, "\r\n--" + boundary + "--\r\n");
        return send(HttpRequest.newBuilder(base.resolve("/v1/deploy"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).DELETE().build());
    }

    private Answer send(HttpRequest req) {
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            String text = res.body();
            JsonObject json = text == null || text.isBlank() || !text.trim().startsWith("{") ? Jsons.builder().build()
                    : Jsons.parseObject(text);
            return new Answer(res.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(req.method() + " " + req.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
