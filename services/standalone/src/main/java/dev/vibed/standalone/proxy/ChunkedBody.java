package dev.vibed.standalone.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes a chunked body (RFC 9112 7.1) from the upstream connection, chunk by chunk as the app writes them, so a
 * streamed answer (SSE, long poll) reaches the client as it is produced. Trailers are read and dropped.
 */
final class ChunkedBody extends InputStream {
    private static final int MAX_LINE = 8 * 1024;

    private final ConnectionInput in;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(ConnectionInput in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (chunkLeft == 0) {
            chunkLeft = nextChunkSize();
            if (chunkLeft == 0) {
                while (!in.readLine(MAX_LINE).isEmpty()) {
                    // trailer fields: not forwarded
                }
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new EOFException("the app closed the connection inside a chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
            if (!in.readLine(MAX_LINE).isEmpty()) {
                throw new IOException("malformed chunk from the app: no line break after its data");
            }
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = in.readLine(MAX_LINE);
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size from the app: '" + hex + "'");
        }
    }

    @Override
    public int available() throws IOException {
        return done ? 0 : (int) Math.min(chunkLeft, in.available());
    }

    boolean done() {
        return done;
    }
}
