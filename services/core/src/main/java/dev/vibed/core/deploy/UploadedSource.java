package dev.vibed.core.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An upload spooled to a private temp file, with the digest computed on the way. Close it to delete the file. */
public record UploadedSource(Path file, String sha256, long sizeBytes) implements AutoCloseable {
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the spool dir is swept at start-up
        }
    }
}
