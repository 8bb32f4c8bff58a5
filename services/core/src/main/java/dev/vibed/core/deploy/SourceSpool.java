package dev.vibed.core.deploy;

import dev.vibed.core.problem.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Streams an upload to disk under a size cap while computing its sha256, so no front end ever holds an archive in
 * memory. Over the cap the partial file is deleted and a 413 problem is raised.
 */
public final class SourceSpool {
    private final Path dir;
    private final long maxBytes;

    public SourceSpool(Path dir, long maxBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
    }

    /** Deletes leftovers of a previous run (a crash mid-upload). */
    public void sweep() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    public UploadedSource spool(InputStream in) throws IOException {
        long started = System.nanoTime();
        Path file = Files.createTempFile(dir, "upload-", ".tar.gz");
        MessageDigest sha = sha256();
        long total = 0;
        try (DigestInputStream digesting = new DigestInputStream(in, sha); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = digesting.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new Problem(Problem.Kind.TOO_LARGE, "source_too_large",
                            "the source archive is larger than " + maxBytes + " bytes", Map.of("limit_bytes", maxBytes));
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new UploadedSource(file, HexFormat.of().formatHex(sha.digest()), total,
                java.time.Duration.ofNanos(System.nanoTime() - started));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
