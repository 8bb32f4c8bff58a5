package dev.vibed.core.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the walker sends entries that passed every check. Paths are normalised and relative. The walker copies a
 * file's bytes into the returned stream itself (so it can count them) and closes it.
 */
interface EntrySink {

    void directory(String path) throws IOException;

    void symlink(String path, String target) throws IOException;

    OutputStream file(String path, boolean executable) throws IOException;

    /** Keeps nothing: used when only the manifest is wanted. */
    EntrySink DISCARD = new EntrySink() {
        @Override
        public void directory(String path) {
        }

        @Override
        public void symlink(String path, String target) {
        }

        @Override
        public OutputStream file(String path, boolean executable) {
            return OutputStream.nullOutputStream();
        }
    };
}
