package dev.vibed.standalone.blob;

import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Standalone {@link BlobStore}: {@code <data>/blobs/sha256/<hex>.tar.gz}. Agents fetch a blob from the local API
 * with an HMAC-signed, expiring URL (the standalone stand-in for an S3 presigned URL); an archive of at most
 * {@link #INLINE_MAX_BYTES} travels inline instead, as a {@code data:} URL in the inject itself.
 */
public final class FileBlobStore implements BlobStore {
    /**
     * Up to this size, an archive (most of what assistants write, without dependencies) costs the inject less
     * inline than as a request from the sandbox back through its network forwarder to this process: 10-20 ms of a
     * deploy, measured. The inject body stays far below the agent's 256 KiB limit.
     */
    public static final long INLINE_MAX_BYTES = 64 * 1024;
    private static final Pattern KEY = Pattern.compile("^sha256/[0-9a-f]{64}\\.tar\\.gz$");

    private final Path root;
    private final BlobUrlSigner signer;
    private final URI publicBase;
    private final Clock clock;
    private final long inlineMaxBytes;

    /** @param publicBase where the API serves {@code /internal/blobs/...} for agents, e.g. {@code http://127.0.0.1:8080} */
    public FileBlobStore(Path root, BlobUrlSigner signer, URI publicBase, Clock clock) throws IOException {
        this(root, signer, publicBase, clock, INLINE_MAX_BYTES);
    }

    /** @param inlineMaxBytes the largest archive sent inline; 0: every archive by URL */
    public FileBlobStore(Path root, BlobUrlSigner signer, URI publicBase, Clock clock, long inlineMaxBytes)
            throws IOException {
        this.root = Files.createDirectories(root);
        this.signer = signer;
        this.publicBase = publicBase;
        this.clock = clock;
        this.inlineMaxBytes = inlineMaxBytes;
    }

    @Override
    public SourceRef put(Path file, String sha256, long sizeBytes) throws IOException {
        String key = BlobStore.keyFor(sha256);
        Path target = path(key);
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "put-", ".tmp");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
            }
        } else {
            // Refresh the time so the collector's grace period counts from the latest upload.
            Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(clock.instant()));
        }
        return new SourceRef(key, sha256, sizeBytes);
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(path(key));
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(path(key));
    }

    @Override
    public URI sourceUrl(String key, Duration validFor) throws IOException {
        Path file = path(key);
        if (inlineMaxBytes > 0 && Files.size(file) <= inlineMaxBytes) {
            return URI.create("data:application/gzip;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
        String sha = key.substring("sha256/".length(), key.length() - ".tar.gz".length());
        long expires = clock.instant().plus(validFor).getEpochSecond();
        return publicBase.resolve("/internal/blobs/" + sha + "?expires=" + expires + "&sig=" + signer.sign(sha, expires));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public Map<String, Instant> list() throws IOException {
        Map<String, Instant> out = new HashMap<>();
        Path dir = root.resolve("sha256");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String key = "sha256/" + p.getFileName();
                if (KEY.matcher(key).matches()) {
                    out.put(key, Files.getLastModifiedTime(p).toInstant());
                }
            }
        }
        return out;
    }

    /** Resolves a key to its file, refusing anything that is not a well-formed key (no path tricks). */
    public Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a blob key: " + key);
        }
        return root.resolve(key);
    }
}
