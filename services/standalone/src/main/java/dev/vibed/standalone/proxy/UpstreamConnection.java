package dev.vibed.standalone.proxy;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection from the proxy to an app, kept open between requests. Nagle is off: a proxied request is written
 * as one head (plus body) and flushed, and waiting for an ACK that the app delays is what made every request take 40 ms.
 */
final class UpstreamConnection implements Closeable {
    private static final int MAX_HEAD_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final String target;
    private final Socket socket;
    private final ConnectionInput in;
    private final OutputStream out;
    private long idleSinceNanos;

    private UpstreamConnection(String target, Socket socket) throws IOException {
        this.target = target;
        this.socket = socket;
        this.in = new ConnectionInput(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    static UpstreamConnection open(String target, Duration connectTimeout, Duration readTimeout) throws IOException {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("route target is not host:port: " + target);
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(target.substring(colon + 1));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new UpstreamConnection(target, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    String target() {
        return target;
    }

    ConnectionInput in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    Socket socket() {
        return socket;
    }

    /** Reads the response head, skipping interim 1xx answers other than 101 (which ends HTTP on this connection). */
    ResponseHead readHead() throws IOException {
        while (true) {
            String statusLine = in.readLine(MAX_HEAD_LINE);
            // "HTTP/1.1 200 OK"
            int sp1 = statusLine.indexOf(' ');
            if (sp1 < 0 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("the app did not answer HTTP/1.x: " + abbreviate(statusLine));
            }
            int sp2 = statusLine.indexOf(' ', sp1 + 1);
            int status;
            try {
                status = Integer.parseInt(sp2 < 0 ? statusLine.substring(sp1 + 1) : statusLine.substring(sp1 + 1, sp2));
            } catch (NumberFormatException e) {
                throw new IOException("bad status line from the app: " + abbreviate(statusLine));
            }
            if (status < 100 || status > 999) {
                throw new IOException("bad status from the app: " + status);
            }
            String reason = sp2 < 0 ? "" : statusLine.substring(sp2 + 1);
            List<ResponseHead.Header> headers = new ArrayList<>(12);
            String line;
            while (!(line = in.readLine(MAX_HEAD_LINE)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0 || headers.size() == MAX_HEADERS) {
                    throw new IOException("bad header from the app: " + abbreviate(line));
                }
                headers.add(new ResponseHead.Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
            if (status / 100 == 1 && status != 101) {
                continue;
            }
            return new ResponseHead(statusLine.substring(0, sp1), status, reason, headers);
        }
    }

    void markIdle(long nowNanos) {
        idleSinceNanos = nowNanos;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to do
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
