package dev.vibed.perf.reconcile;

import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The blob store of the scale benchmark: the controller only asks it for a source URL to hand to the agent (a
 * local computation against S3 too, a presign), and the in-process agents never fetch it.
 */
final class PresignOnlyBlobs implements BlobStore {
    @Override
    public SourceRef put(Path file, String sha256, long sizeBytes) {
        throw new UnsupportedOperationException("the benchmark stores no sources");
    }

    @Override
    public boolean exists(String key) {
        return true;
    }

    @Override
    public InputStream open(String key) throws IOException {
        throw new IOException("the benchmark stores no sources");
    }

    @Override
    public URI sourceUrl(String key, Duration validFor) {
        return URI.create("http://127.0.0.1:9/" + key);
    }

    @Override
    public void delete(String key) {
    }

    @Override
    public Map<String, Instant> list() {
        return Map.of();
    }
}
