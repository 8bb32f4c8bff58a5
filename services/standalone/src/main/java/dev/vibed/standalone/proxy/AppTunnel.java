package dev.vibed.standalone.proxy;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * A client connection handed over to an app after a WebSocket upgrade: bytes are copied both ways, unchanged, until
 * either side closes. The app's answer to the handshake (101 or a refusal) is the first thing copied back.
 */
final class AppTunnel implements ServerConnection {
    private final ConnectionContext ctx;
    private final UpstreamConnection upstream;

    AppTunnel(ConnectionContext ctx, UpstreamConnection upstream) {
        this.ctx = ctx;
        this.upstream = upstream;
    }

    @Override
    public void handle(Semaphore requestSemaphore) {
        Thread toClient = Thread.ofVirtual().name("ws-tunnel-" + ctx.childSocketId()).start(this::appToClient);
        try {
            clientToApp();
        } finally {
            upstream.close();
            try {
                toClient.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void clientToApp() {
        DataReader reader = ctx.dataReader();
        OutputStream out = upstream.out();
        try {
            while (true) {
                if (reader.available() == 0) {
                    reader.pullData();
                }
                BufferData data = reader.readBuffer(reader.available());
                data.writeTo(out);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client closed (DataReader signals it with a runtime exception) or the app went away
        }
    }

    private void appToClient() {
        InputStream in = upstream.in();
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                if (n > 0) {
                    ctx.dataWriter().writeNow(BufferData.create(buf, 0, n));
                    }
            }
        } catch (IOException | RuntimeException e) {
            // the app closed or the client went away
        } finally {
            // Ending the app's side ends the client's: closing the server socket wakes the reader blocked in pullData.
            upstream.close();
            ctx.serverSocket().close();
        }
    }

    /** Never idle to the server's idle-connection sweep: a WebSocket may stay quiet as long as both ends like. */
    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        upstream.close();
    }
}
