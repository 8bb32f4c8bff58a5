package dev.vibed.core.archive;

import java.io.IOException;

/**
 * Thrown from inside the stream stack when a size cap is passed. It is an IOException so it can travel through
 * GZIPInputStream and commons-compress untouched; the walker turns it into {@code archive_too_large}.
 */
final class CapExceededException extends IOException {
    CapExceededException(String message) {
        super(message);
    }
}
