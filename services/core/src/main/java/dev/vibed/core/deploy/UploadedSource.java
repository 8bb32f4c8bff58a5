package dev.vibed.core.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An upload spooled to a private temp file, with the digest computed on the way. Close it to delete the file.
 *
 * @param received how long the upload took to stream in (the deploy's first stage)
 */
public record UploadedSource(Path file, String sha256, long sizeBytes, java.time.Duration received) implements AutoCloseable {
    public UploadedSource(Path file, String sha256, long sizeBytes) {
        this(file, sha256, sizeBytes, java.time.Duration.ZERO);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the spool dir is swept at start-up
        }
    }
}
