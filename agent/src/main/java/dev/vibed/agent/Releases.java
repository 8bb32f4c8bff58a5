package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The workspace layout: {@code downloads/} for sources in flight, {@code releases/<n>-<random>/} for extracted
 * apps. Every inject extracts into a new release so a rejected archive never touches the running one.
 */
final class Releases {
    private final Path downloads;
    private final Path releases;
    private final AtomicLong counter = new AtomicLong();

    Releases(Path workspace) throws IOException {
        this.downloads = workspace.resolve("downloads");
        this.releases = workspace.resolve("releases");
        // A (re)started agent is empty by contract (new bootId): whatever an earlier run left is garbage.
        deleteTree(downloads);
        deleteTree(releases);
        Files.createDirectories(downloads);
        Files.createDirectories(releases);
    }

    Path newDownload() {
        return downloads.resolve(counter.incrementAndGet() + "-" + random() + ".tar.gz");
    }

    /** A fresh, not yet existing release directory. */
    Path newRelease() {
        return releases.resolve(counter.incrementAndGet() + "-" + random());
    }

    /** Removes every release but {@code keep}. */
    void pruneExcept(Path keep) {
        try (Stream<Path> all = Files.list(releases)) {
            all.filter(p -> !p.equals(keep)).forEach(Releases::deleteQuietly);
        } catch (IOException e) {
            AgentLog.info("could not prune old releases: " + e.getMessage());
        }
    }

    static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            AgentLog.info("could not delete " + p + ": " + e.getMessage());
        }
    }

    /** Deletes a tree without following links (a link inside a release is removed, its target left alone). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // An app may have left a directory it cannot list or write (chmod 000); take it back first.
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(true, true);
                dir.toFile().setReadable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String random() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
