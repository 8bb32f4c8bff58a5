package dev.vibed.core.archive;

import java.util.HashMap;
import java.util.Map;

import static dev.vibed.core.archive.ArchiveRejectedException.CORRUPT;
import static dev.vibed.core.archive.ArchiveRejectedException.LINK_ESCAPE;

/**
 * Remembers what each path already is (folders implied by deeper entries included), so that no entry can be
 * written through a symlink or replace one. Order matters: a tar is a sequence, and so is extraction.
 */
final class ArchiveTree {
    private final Map<String, ArchiveEntry.Kind> kinds = new HashMap<>();

    void add(String path, ArchiveEntry.Kind kind, String rawName) throws ArchiveRejectedException {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String folder = path.substring(0, slash);
            ArchiveEntry.Kind existing = kinds.putIfAbsent(folder, ArchiveEntry.Kind.DIRECTORY);
            if (existing == ArchiveEntry.Kind.SYMLINK) {
                throw new ArchiveRejectedException(LINK_ESCAPE,
                        "entry '" + rawName + "' goes through the symlink '" + folder + "'", rawName);
            }
            if (existing == ArchiveEntry.Kind.FILE) {
                throw new ArchiveRejectedException(CORRUPT,
                        "entry '" + rawName + "' needs '" + folder + "' to be a folder, but the archive made it a file", rawName);
            }
        }
        ArchiveEntry.Kind existing = kinds.get(path);
        if (existing == ArchiveEntry.Kind.SYMLINK) {
            throw new ArchiveRejectedException(LINK_ESCAPE, "entry '" + rawName + "' replaces the symlink '" + path + "'", rawName);
        }
        if (existing != null && kind == ArchiveEntry.Kind.SYMLINK) {
            throw new ArchiveRejectedException(LINK_ESCAPE,
                    "symlink '" + rawName + "' replaces an earlier " + describe(existing) + " at the same path", rawName);
        }
        if (existing != null && existing != kind) {
            throw new ArchiveRejectedException(CORRUPT,
                    "entry '" + rawName + "' is a " + describe(kind) + " but an earlier entry made it a " + describe(existing), rawName);
        }
        kinds.put(path, kind);
    }

    private static String describe(ArchiveEntry.Kind kind) {
        return switch (kind) {
            case FILE -> "file";
            case DIRECTORY -> "folder";
            case SYMLINK -> "symlink";
        };
    }
}
