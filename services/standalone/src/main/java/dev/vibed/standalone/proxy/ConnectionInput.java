package dev.vibed.standalone.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The read side of one upstream connection: a plain (unsynchronised) buffer that reads head lines cheaply and hands
 * large body reads straight from the socket into the caller's array, so a big body is not copied twice.
 */
final class ConnectionInput extends InputStream {
    private final InputStream socket;
    private final byte[] buf;
    private int pos;
    private int limit;

    ConnectionInput(InputStream socket, int bufferSize) {
        this.socket = socket;
        this.buf = new byte[bufferSize];
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= buf.length) {
                return socket.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return pos < limit ? limit - pos : socket.available();
    }

    /** One CRLF- (or LF-) terminated line of an HTTP head, at most {@code max} bytes. */
    String readLine(int max) throws IOException {
        byte[] line = null;
        int len = 0;
        while (true) {
            if (pos == limit && !fill()) {
                throw new EOFException("the app closed the connection");
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (len + n > max) {
                throw new IOException("a line from the app is longer than " + max + " bytes");
            }
            if (pos < limit) {
                pos++; // the '\n'
                if (line == null) {
                    int end = n > 0 && buf[start + n - 1] == '\r' ? n - 1 : n;
                    return new String(buf, start, end, StandardCharsets.ISO_8859_1);
                }
                line = append(line, len, buf, start, n);
                len += n;
                int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            line = append(line == null ? new byte[Math.max(64, n)] : line, len, buf, start, n);
            len += n;
        }
    }

    private static byte[] append(byte[] line, int len, byte[] src, int off, int n) {
        byte[] out = line.length >= len + n ? line : Arrays.copyOf(line, Math.max(line.length * 2, len + n));
        System.arraycopy(src, off, out, len, n);
        return out;
    }

    private boolean fill() throws IOException {
        int n = socket.read(buf, 0, buf.length);
        if (n <= 0) {
            pos = limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
