package dev.vibed.core.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes that really pass through and fails as soon as one byte more than the limit is asked for. Sizes
 * claimed by headers can lie (sparse files, pax records); what the decompressor hands back cannot.
 */
final class CappedInputStream extends FilterInputStream {
    private long count;
    private long limit;
    private String reason;

    CappedInputStream(InputStream in, long limit, String reason) {
        super(in);
        limit(limit, reason);
    }

    /** Moves the limit; {@code reason} becomes the message of the failure when it is passed. */
    void limit(long newLimit, String newReason) {
        this.limit = newLimit;
        this.reason = newReason;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (count >= limit) {
            // At the limit exactly is fine; only data beyond it is an offence, so peek at one more byte.
            if (in.read() == -1) {
                return -1;
            }
            throw new CapExceededException(reason);
        }
        int n = in.read(buf, off, (int) Math.min(len, limit - count));
        if (n > 0) {
            count += n;
        }
        return n;
    }

    /** Skipping must be counted like reading, or a skip-heavy consumer would walk around the cap. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r == -1) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: a reset would make the count lie.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
