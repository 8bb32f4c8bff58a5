package dev.vibed.standalone.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * A client that subscribes and then never reads: a raw socket with a tiny receive buffer that does the WebSocket
 * handshake and sends its frames by hand, so nothing on this side drains what the server writes.
 */
final class StalledGraphQlSocket implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();

    StalledGraphQlSocket(URI api) {
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 5000);
            out = socket.getOutputStream();
            out.write(("GET /graphql HTTP/1.1\r\nHost: " + api.getHost() + ":" + api.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    StalledGraphQlSocket sendText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        try {
            out.write(0x81);
            if (payload.length < 126) {
                out.write(0x80 | payload.length);
            } else {
                out.write(0x80 | 126);
                out.write(payload.length >> 8);
                out.write(payload.length & 0xff);
            }
            out.write(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i % 4]);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Starts reading at last: true when the server has cut the stream (end or reset) within {@code within}. */
    boolean droppedByServer(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] buf = new byte[64 * 1024];
        try {
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read(buf) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet; keep waiting for the end
                }
            }
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket the server cut
        }
    }
}
