package dev.vibed.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An npm package cache shared by every sandbox of a template, so a second deploy of the same dependencies skips
 * the download. Sandboxes only read it: before an install the release's private npm cache is seeded with the
 * shared index and with links to the shared tarballs (npm needs a writable cache, and links cost nothing); after
 * a successful install the agent, outside the sandbox, copies back what was new. One writer at a time (a file
 * lock; a busy cache is simply not filled this time), and only what cannot be forged: tarball blobs whose content
 * matches the digest they are named by, and index entries for tarball URLs that point at such blobs. Package
 * metadata is never shared, because one app could otherwise tell another's npm which tarball a name resolves to.
 */
final class PackageCache {
    private static final String CACACHE = "_cacache";
    private static final Pattern INTEGRITY = Pattern.compile("\"integrity\":\"(sha512)-([A-Za-z0-9+/=]+)\"");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]+)\"");
    /** Bounds on what one release may make the agent read: npm writes a few files per package. */
    private static final int MAX_FILES = 50_000;
    private static final long MAX_BLOB_BYTES = 512L << 20;

    private final Path shared;

    /** @param shared the template's cache folder on the host; exposed read-only to sandboxes at the same path */
    PackageCache(Path shared) {
        this.shared = shared;
    }

    Path dir() {
        return shared;
    }

    /** Gives {@code npmCache} (a release's {@code .npm}) the shared index entries and links to the shared blobs. */
    int seed(Path npmCache) throws IOException {
        Path from = shared.resolve(CACACHE);
        if (!Files.isDirectory(from)) {
            return 0;
        }
        Path to = npmCache.resolve(CACACHE);
        int linked = 0;
        for (Path file : regularFiles(from.resolve("content-v2"))) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            try {
                Files.createSymbolicLink(target, file);
                linked++;
            } catch (FileAlreadyExistsException e) {
                // The release already has it.
            }
        }
        for (Path file : regularFiles(from.resolve("index-v5"))) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // A copy, not a link: npm appends to index buckets.
                Files.copy(file, target);
            }
        }
        return linked;
    }

    /**
     * Copies into the shared cache the verified tarballs and tarball index entries that {@code npmCache} has and
     * the shared cache lacks. Returns how many blobs were added; 0 as well when another agent is writing.
     */
    int fill(Path npmCache) throws IOException {
        Path from = npmCache.resolve(CACACHE);
        if (!Files.isDirectory(npmCache, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Files.createDirectories(shared);
        try (FileChannel lockFile = FileChannel.open(shared.resolve(".writer.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(lockFile)) {
            if (lock == null) {
                return 0;
            }
            Path to = shared.resolve(CACACHE);
            int added = 0;
            for (Path bucket : regularFiles(from.resolve("index-v5"))) {
                List<String> keep = new ArrayList<>();
                for (String line : Files.readAllLines(bucket, StandardCharsets.UTF_8)) {
                    Optional<Path> blob = tarballBlob(line, from);
                    if (blob.isEmpty()) {
                        continue;
                    }
                    Path sharedBlob = to.resolve(from.relativize(blob.get()).toString());
                    if (!Files.exists(sharedBlob)) {
                        if (Files.size(blob.get()) > MAX_BLOB_BYTES || !verified(blob.get())) {
                            continue;
                        }
                        publish(blob.get(), sharedBlob);
                        added++;
                    }
                    keep.add(line);
                }
                Path sharedBucket = to.resolve(from.relativize(bucket).toString());
                List<String> have = Files.exists(sharedBucket)
                        ? Files.readAllLines(sharedBucket, StandardCharsets.UTF_8) : List.of();
                List<String> fresh = keep.stream().filter(l -> !have.contains(l)).toList();
                if (!fresh.isEmpty()) {
                    List<String> all = new ArrayList<>(have);
                    all.addAll(fresh);
                    Path tmp = Files.createDirectories(sharedBucket.getParent())
                            .resolve(".tmp-" + sharedBucket.getFileName());
                    Files.write(tmp, all, StandardCharsets.UTF_8);
                    Files.move(tmp, sharedBucket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return added;
        }
    }

    /** The private blob an index line of a tarball request points at, when that blob is a real file there. */
    private static Optional<Path> tarballBlob(String line, Path cacache) {
        Matcher key = KEY.matcher(line);
        Matcher integrity = INTEGRITY.matcher(line);
        if (!key.find() || !key.group(1).endsWith(".tgz") || !integrity.find()) {
            return Optional.empty();
        }
        String hex;
        try {
            hex = HexFormat.of().formatHex(Base64.getDecoder().decode(integrity.group(2)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Path blob = cacache.resolve("content-v2").resolve(integrity.group(1)).resolve(hex.substring(0, 2))
                .resolve(hex.substring(2, 4)).resolve(hex.substring(4));
        return Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS) ? Optional.of(blob) : Optional.empty();
    }

    /** A content-v2 blob is named by the SHA-512 of its bytes; anything else was not written by npm. */
    private static boolean verified(Path blob) throws IOException {
        String name = blob.getParent().getParent().getFileName().toString() + blob.getParent().getFileName()
                + blob.getFileName();
        try (InputStream in = Files.newInputStream(blob, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest()).equals(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void publish(Path blob, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName());
        Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Regular files under {@code dir}, never following links (a sandbox may have planted some). */
    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.limit(MAX_FILES).filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && !p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }
}
