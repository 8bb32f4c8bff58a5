package dev.vibed.standalone.site;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and sha256-hashes every byte read through it, so a blob can be checked on the same read that unpacks it.
 * Not a FilterInputStream: {@link InputStream#skip}'s own version reads the skipped bytes, so they are hashed too,
 * and marks are not supported.
 */
final class HashingInputStream extends InputStream {
    private final InputStream in;
    private final MessageDigest digest;
    private long count;

    HashingInputStream(InputStream in) {
        this.in = in;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads to the end, or until more than {@code max} bytes were read in all. */
    void drain(long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (count <= max && read(buf, 0, buf.length) >= 0) {
            // only the hash and the count matter
        }
    }

    long count() {
        return count;
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
