package dev.vibed.core.archive;

/**
 * Caps applied to every archive from a stranger, on upload (inspection) and in the agent (extraction).
 *
 * @param maxCompressedBytes size of the .tar.gz as uploaded
 * @param maxExpandedBytes   sum of the regular files' sizes once expanded (defeats gzip bombs)
 * @param maxEntries         number of tar entries of any kind
 * @param maxPathLength      length of an entry's normalised path
 */
public record ArchiveLimits(long maxCompressedBytes, long maxExpandedBytes, int maxEntries, int maxPathLength) {

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(50L << 20, 200L << 20, 10_000, 255);
    }
}
