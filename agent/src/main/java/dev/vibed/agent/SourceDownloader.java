package dev.vibed.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Pulls an app's source from the URL the platform gave (a presigned blob URL), with a size cap enforced while
 * streaming (a Content-Length can lie) and the sha256 checked before anything is extracted.
 */
final class SourceDownloader {
    private final Duration timeout;
    private volatile HttpClient client;

    SourceDownloader(Duration timeout) {
        this.timeout = timeout;
    }

    void download(String url, String expectedSha256, long maxBytes, Path target) throws ApiException {
        if (url != null && url.regionMatches(true, 0, "data:", 0, 5)) {
            store(inline(url, maxBytes), null, expectedSha256, maxBytes, target);
            return;
        }
        URI uri = parse(url);
        Fetched response;
        try {
            response = fetch(uri);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_request", "'source_url' is not usable: " + e.getMessage());
        } catch (IOException e) {
            throw unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "the agent is shutting down");
        }
        store(response, uri, expectedSha256, maxBytes, target);
    }

    /**
     * A {@code data:} URL (RFC 2397, base64): a small archive the platform sent inline, which spares a request
     * back out of the sandbox. The same size cap and sha256 check apply.
     */
    private static Fetched inline(String url, long maxBytes) throws ApiException {
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw ApiException.badRequest("bad_request", "a data: 'source_url' must be base64 (data:...;base64,...)");
        }
        String data = url.substring(comma + 1);
        if ((long) data.length() / 4 * 3 > maxBytes + 2) {
            throw tooLarge(maxBytes);
        }
        try {
            byte[] bytes = java.util.Base64.getDecoder().decode(data);
            return new Fetched(200, bytes.length, new java.io.ByteArrayInputStream(bytes));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_request", "the data: 'source_url' is not valid base64: " + e.getMessage());
        }
    }

    /** Writes the body to {@code target} within the cap and checks its sha256; {@code uri}: null for inline. */
    private static void store(Fetched response, URI uri, String expectedSha256, long maxBytes, Path target)
            throws ApiException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = response.body()) {
            if (response.status() / 100 == 4) {
                // The source is gone or refused us: retrying the same inject cannot help, so the caller gets a 4xx.
                throw new ApiException(422, "source_rejected",
                        "the source URL answered HTTP " + response.status() + " (the source is missing or the URL is no longer valid)");
            }
            if (response.status() / 100 != 2) {
                throw new ApiException(502, "source_unreachable",
                        "the source URL answered HTTP " + response.status());
            }
            long declared = response.contentLength();
            if (declared > maxBytes) {
                throw tooLarge(maxBytes);
            }
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(target)) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            Releases.deleteQuietly(target);
            throw unreachable(uri, e);
        } catch (ApiException e) {
            Releases.deleteQuietly(target);
            throw e;
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(expectedSha256)) {
            Releases.deleteQuietly(target);
            throw ApiException.badRequest("sha256_mismatch",
                    "the source's sha256 is " + actual + ", expected " + expectedSha256);
        }
    }

    private static URI parse(String url) throws ApiException {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw ApiException.badRequest("bad_request", "'source_url' must be an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_request", "'source_url' is not a URL: " + e.getMessage());
        }
    }

    private static ApiException unreachable(URI uri, Exception e) {
        // Never echo the query: a presigned URL carries its signature there.
        String where = uri == null ? "the inline source" : uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
        return new ApiException(502, "source_unreachable", "could not fetch " + where + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    private static ApiException tooLarge(long max) {
        return ApiException.badRequest("source_too_large", "the source is larger than " + max + " bytes");
    }

    /** A response being read: its status, its declared length (-1 if none) and its body. */
    private record Fetched(int status, long contentLength, InputStream body) {
    }

    /**
     * Plain http (the standalone blob server, in-cluster S3) goes through {@link HttpURLConnection}; only https
     * builds the {@link HttpClient}. Building that client initialises the JDK's default TLS context and reads the
     * trusted certificates, about 300 ms of CPU in a fresh agent JVM, which an http source never needs.
     */
    private Fetched fetch(URI uri) throws IOException, InterruptedException {
        if (uri.getScheme().equalsIgnoreCase("http")) {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            c.setConnectTimeout(10_000);
            c.setReadTimeout(millis);
            c.setInstanceFollowRedirects(true);
            c.setUseCaches(false);
            int status = c.getResponseCode();
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Fetched(status, c.getContentLengthLong(), body == null ? InputStream.nullInputStream() : body);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> r = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        return new Fetched(r.statusCode(), r.headers().firstValueAsLong("Content-Length").orElse(-1), r.body());
    }

    /** Created on first https use: java.net.http is not needed to become ready, so it is not loaded before. */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .version(HttpClient.Version.HTTP_1_1)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }
}
