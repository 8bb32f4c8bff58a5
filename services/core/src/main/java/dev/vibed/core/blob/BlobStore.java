package dev.vibed.core.blob;

import dev.vibed.core.app.SourceRef;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Port: source archives, content-addressed by sha256. Standalone: files under the data dir; Kubernetes: S3.
 * Agents get a short-lived URL from {@link #sourceUrl}, not the bytes through the control plane; a store that holds
 * archives on the same machine may hand a small one over inline as a {@code data:} URL, which the agent checks the
 * same way.
 */
public interface BlobStore {

    /** Stores {@code file} (whose sha256 the caller computed while streaming) unless the key exists already. */
    SourceRef put(Path file, String sha256, long sizeBytes) throws IOException;

    boolean exists(String key) throws IOException;

    InputStream open(String key) throws IOException;

    /** A URL an agent can GET for {@code validFor}, without other credentials (or a {@code data:} URL of the bytes). */
    URI sourceUrl(String key, Duration validFor) throws IOException;

    void delete(String key) throws IOException;

    /** Every stored key with the time it was stored, for garbage collection. */
    Map<String, Instant> list() throws IOException;

    static String keyFor(String sha256) {
        return "sha256/" + sha256 + ".tar.gz";
    }
}
