package dev.vibed.agent;

import dev.vibed.core.files.FileTrees;

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
    /** An empty release made ahead for a warm runtime (whose sandbox binds it); the next inject extracts into it. */
    private Path reserved;

    Releases(Path workspace) throws IOException {
        this.downloads = workspace.resolve("downloads");
        this.releases = workspace.resolve("releases");
        // A (re)started agent is empty by contract (new bootId): whatever an earlier run left is garbage.
        FileTrees.deleteTree(downloads);
        FileTrees.deleteTree(releases);
        Files.createDirectories(downloads);
        Files.createDirectories(releases);
    }

    /** The folder of sources in flight: the agent's own, on the workspace's file system. */
    Path downloads() {
        return downloads;
    }

    Path newDownload() {
        return downloads.resolve(counter.incrementAndGet() + "-" + random() + ".tar.gz");
    }

    /**
     * A fresh release directory: the reserved one when a warm runtime waits on it (existing and empty; the
     * extractor accepts that), else one that does not exist yet.
     */
    synchronized Path newRelease() {
        Path next = reserved != null && Files.isDirectory(reserved, LinkOption.NOFOLLOW_LINKS) ? reserved
                : releases.resolve(counter.incrementAndGet() + "-" + random());
        reserved = null;
        return next;
    }

    /**
     * Makes the empty directory the next {@link #newRelease()} hands out, and replaces any earlier reservation.
     * bubblewrap binds are fixed when the sandbox starts, so a runtime started ahead of the inject must already
     * have the directory the app will live in.
     */
    synchronized Path reserve() throws IOException {
        if (reserved != null) {
            deleteQuietly(reserved);
        }
        reserved = Files.createDirectory(releases.resolve(counter.incrementAndGet() + "-" + random()));
        return reserved;
    }

    /** Removes every release but {@code keep} and the reserved one. */
    synchronized void pruneExcept(Path keep) {
        try (Stream<Path> all = Files.list(releases)) {
            all.filter(p -> !p.equals(keep) && !p.equals(reserved)).forEach(Releases::deleteQuietly);
        } catch (IOException e) {
            AgentLog.info("could not prune old releases: " + e.getMessage());
        }
    }

    static void deleteQuietly(Path p) {
        try {
            FileTrees.deleteTree(p);
        } catch (IOException e) {
            AgentLog.info("could not delete " + p + ": " + e.getMessage());
        }
    }

    private static String random() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
