package dev.vibed.core.archive;

import dev.vibed.core.files.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Unpacks a .tar.gz into a folder under the same rules as {@link ArchiveInspector}, in the same single pass. If
 * anything goes wrong, everything written so far is removed: a refused archive leaves no file behind.
 * Stateless and thread-safe.
 */
public final class SafeExtractor {

    /**
     * @param destDir an empty folder, or a path that does not exist yet (it is created, and removed again on failure)
     * @return the manifest of what was written
     * @throws ArchiveRejectedException when the archive is broken, too big or hostile (nothing is left behind)
     * @throws IOException              when reading the archive or writing the files fails (nothing is left behind),
     *                                  or when {@code destDir} is not an empty folder (then it is left untouched)
     */
    public ArchiveManifest extract(Path tarGz, Path destDir, ArchiveLimits limits) throws ArchiveRejectedException, IOException {
        return unpack(destDir, sink -> ArchiveWalker.walk(tarGz, limits, sink));
    }

    /**
     * As {@link #extract(Path, Path, ArchiveLimits)}, reading the archive from {@code tarGz}, which is left open:
     * a caller that hashes the bytes as they pass reads the rest of the stream afterwards, so one read of the file
     * both checks and unpacks it. The compressed-size limit is enforced as the bytes are read.
     */
    public ArchiveManifest extract(InputStream tarGz, Path destDir, ArchiveLimits limits) throws ArchiveRejectedException, IOException {
        return unpack(destDir, sink -> ArchiveWalker.walk(tarGz, limits, sink));
    }

    private interface Walk {
        ArchiveManifest into(EntrySink sink) throws ArchiveRejectedException, IOException;
    }

    private static ArchiveManifest unpack(Path destDir, Walk walk) throws ArchiveRejectedException, IOException {
        Path root = destDir.toAbsolutePath().normalize();
        Path createdTop = prepareDestination(root);
        try {
            return walk.into(new DiskSink(root));
        } catch (Throwable failure) {
            removeWhatWeWrote(root, createdTop, failure);
            throw failure;
        }
    }

    /** Makes sure {@code root} is an empty folder; returns the highest folder this call created, or null. */
    private static Path prepareDestination(Path root) throws IOException {
        if (Files.exists(root)) {
            if (!Files.isDirectory(root)) {
                throw new NotDirectoryException(root.toString());
            }
            try (Stream<Path> children = Files.list(root)) {
                if (children.findAny().isPresent()) {
                    // Refuse rather than mix: on failure we could not tell our files from what was there.
                    throw new DirectoryNotEmptyException(root.toString());
                }
            }
            return null;
        }
        Path top = root;
        while (top.getParent() != null && !Files.exists(top.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            top = top.getParent();
        }
        Files.createDirectories(root);
        return top;
    }

    private static void removeWhatWeWrote(Path root, Path createdTop, Throwable failure) {
        try {
            if (createdTop != null) {
                FileTrees.deleteTree(createdTop);
            } else {
                try (Stream<Path> children = Files.list(root)) {
                    for (Path child : (Iterable<Path>) children::iterator) {
                        FileTrees.deleteTree(child);
                    }
                }
            }
        } catch (IOException | RuntimeException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
        }
    }
}
