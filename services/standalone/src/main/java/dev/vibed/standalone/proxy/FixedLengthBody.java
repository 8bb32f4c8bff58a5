package dev.vibed.standalone.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body of known length read straight from the upstream connection's buffer: it ends exactly at the length, so the
 * connection stays usable for the next request, and an app that closes early is an error, not a short answer.
 */
final class FixedLengthBody extends InputStream {
    private final InputStream in;
    private long remaining;

    FixedLengthBody(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("the app closed the connection with " + remaining + " bytes of the body unsent");
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(remaining, in.available());
    }

    boolean done() {
        return remaining == 0;
    }
}
