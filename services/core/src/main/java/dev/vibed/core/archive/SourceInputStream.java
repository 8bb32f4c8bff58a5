package dev.vibed.core.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Marks failures of the uploaded file itself (disk errors) so they are not mistaken for a corrupt archive:
 * everything else that goes wrong while decoding is the archive's fault, this is ours.
 */
final class SourceInputStream extends FilterInputStream {

    /** A read of the underlying file failed; the cause is the original exception. */
    static final class Failure extends IOException {
        Failure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException original() {
            return (IOException) getCause();
        }
    }

    SourceInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }
}
