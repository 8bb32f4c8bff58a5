package dev.vibed.core.app;

/** A stored source archive: content-addressed, so equal uploads share one blob. */
public record SourceRef(String blobKey, String sha256, long sizeBytes) {
}
