package dev.vibed.core.testing;

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
 * A blob store that has every key and keeps no bytes: for a reconciler whose agents never fetch a source, only
 * take its URL (against S3 that URL is a presign, a local computation too). Sources are at {@code base + key}.
 */
public final class UrlOnlyBlobs implements BlobStore {
    private final URI base;

    /** @param base ends with a slash, e.g. {@code http://blobs/} */
    public UrlOnlyBlobs(URI base) {
        this.base = base;
    }

    @Override
    public SourceRef put(Path file, String sha256, long sizeBytes) {
        return new SourceRef(BlobStore.keyFor(sha256), sha256, sizeBytes);
    }

    @Override
    public boolean exists(String key) {
        return true;
    }

    @Override
    public InputStream open(String key) throws IOException {
        throw new IOException("this blob store keeps no bytes, only hands out URLs");
    }

    @Override
    public URI sourceUrl(String key, Duration validFor) {
        return URI.create(base + key);
    }

    @Override
    public void delete(String key) {
    }

    @Override
    public Map<String, Instant> list() {
        return Map.of();
    }
}
