package dev.vibed.core.archive;

import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import static dev.vibed.core.archive.ArchiveRejectedException.ABSOLUTE_PATH;
import static dev.vibed.core.archive.ArchiveRejectedException.LINK_ESCAPE;
import static dev.vibed.core.archive.ArchiveRejectedException.PATH_TOO_LONG;
import static dev.vibed.core.archive.ArchiveRejectedException.PATH_TRAVERSAL;

/**
 * The lexical rules for entry names and symlink targets. Purely string work: nothing here touches a file system,
 * so the inspector and the extractor reach the same verdict.
 */
final class EntryPaths {
    /** Most Linux file systems refuse longer names; better a clear rejection than an I/O error mid-extraction. */
    static final int MAX_SEGMENT_BYTES = 255;

    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:([/\\\\].*)?$", Pattern.DOTALL);
    // Backslash is an ordinary character on Linux, but a "..\" piece is traversal to anyone who unpacks on Windows.
    private static final Pattern ANY_SEPARATOR = Pattern.compile("[/\\\\]");

    private EntryPaths() {
    }

    /**
     * Normalises an entry name: drops "." segments, empty segments and the trailing '/'. Returns "" for the root
     * folder itself ("./").
     */
    static String normalize(String rawName, int maxPathLength) throws ArchiveRejectedException {
        if (rawName.indexOf('\0') >= 0) {
            throw new ArchiveRejectedException(PATH_TRAVERSAL, "entry '" + printable(rawName) + "' has a NUL character in its name", rawName);
        }
        if (isAbsolute(rawName)) {
            throw new ArchiveRejectedException(ABSOLUTE_PATH, "entry '" + rawName + "' has an absolute path", rawName);
        }
        if (hasDotDot(rawName)) {
            throw new ArchiveRejectedException(PATH_TRAVERSAL, "entry '" + rawName + "' has a '..' segment", rawName);
        }
        StringJoiner path = new StringJoiner("/");
        for (String segment : rawName.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new ArchiveRejectedException(PATH_TOO_LONG,
                        "entry '" + rawName + "' has a name segment longer than " + MAX_SEGMENT_BYTES + " bytes", rawName);
            }
            path.add(segment);
        }
        String normalized = path.toString();
        if (normalized.length() > maxPathLength) {
            throw new ArchiveRejectedException(PATH_TOO_LONG,
                    "entry '" + rawName + "' has a path longer than " + maxPathLength + " characters", rawName);
        }
        return normalized;
    }

    /**
     * Accepts a symlink target only if, resolved from the link's folder, it stays inside the archive root.
     * '..' is allowed only at the start of the target: in "a/b/../c" the "b" may itself be a link, and then
     * the lexical answer would not be the answer the kernel gives.
     */
    static void checkLinkTarget(String linkPath, String target, String rawName, int maxPathLength) throws ArchiveRejectedException {
        if (target == null || target.isEmpty()) {
            throw new ArchiveRejectedException(LINK_ESCAPE, "symlink '" + rawName + "' has an empty target", rawName);
        }
        if (target.indexOf('\0') >= 0) {
            throw new ArchiveRejectedException(LINK_ESCAPE, "symlink '" + rawName + "' has a NUL character in its target", rawName);
        }
        if (isAbsolute(target)) {
            throw new ArchiveRejectedException(LINK_ESCAPE,
                    "symlink '" + rawName + "' points to the absolute path '" + target + "'", rawName);
        }
        if (target.length() > maxPathLength) {
            throw new ArchiveRejectedException(PATH_TOO_LONG,
                    "symlink '" + rawName + "' has a target longer than " + maxPathLength + " characters", rawName);
        }
        int ups = 0;
        boolean descended = false;
        for (String segment : ANY_SEPARATOR.split(target)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (descended) {
                    throw new ArchiveRejectedException(LINK_ESCAPE, "symlink '" + rawName + "' -> '" + target
                            + "' climbs back out of a folder; only leading '..' segments are allowed", rawName);
                }
                ups++;
            } else {
                descended = true;
            }
        }
        if (ups > depthOfFolder(linkPath)) {
            throw new ArchiveRejectedException(LINK_ESCAPE,
                    "symlink '" + rawName + "' -> '" + target + "' points outside the archive", rawName);
        }
    }

    static boolean isAbsolute(String name) {
        return name.startsWith("/") || name.startsWith("\\") || WINDOWS_DRIVE.matcher(name).matches();
    }

    private static boolean hasDotDot(String name) {
        for (String segment : ANY_SEPARATOR.split(name)) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** How many folders the entry sits in: "a" is 0, "a/b" is 1. */
    private static int depthOfFolder(String normalizedPath) {
        int depth = 0;
        for (int i = 0; i < normalizedPath.length(); i++) {
            if (normalizedPath.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    private static String printable(String name) {
        return name.replace("\0", "\\0");
    }
}
