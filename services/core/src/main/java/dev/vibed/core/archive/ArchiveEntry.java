package dev.vibed.core.archive;

import java.util.Objects;

/**
 * One entry of an accepted archive.
 *
 * @param path       normalised: relative, '/'-separated, no leading "./", no trailing '/'
 * @param size       bytes actually read for a regular file; 0 for folders and links
 * @param kind       what the entry is; hostile kinds (devices, FIFOs, hard links) never get this far
 * @param linkTarget the symlink's target exactly as stored in the archive, or null when not a symlink
 */
public record ArchiveEntry(String path, long size, Kind kind, String linkTarget) {

    public enum Kind {
        FILE, DIRECTORY, SYMLINK
    }

    public ArchiveEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (size < 0) {
            throw new IllegalArgumentException("negative size for " + path);
        }
        if ((kind == Kind.SYMLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException("a link target is required for symlinks and only for them: " + path);
        }
    }

    public static ArchiveEntry file(String path, long size) {
        return new ArchiveEntry(path, size, Kind.FILE, null);
    }

    public static ArchiveEntry directory(String path) {
        return new ArchiveEntry(path, 0, Kind.DIRECTORY, null);
    }

    public static ArchiveEntry symlink(String path, String target) {
        return new ArchiveEntry(path, 0, Kind.SYMLINK, target);
    }

    /** A regular file or a symlink: something a web server could serve or a runtime could load. */
    public boolean isFileLike() {
        return kind != Kind.DIRECTORY;
    }
}
