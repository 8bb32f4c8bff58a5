package dev.vibed.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards $PORT to the port an app really listens on, when it ignored $PORT (a hard-coded 3000 is the most
 * common slip in generated code). It runs inside the agent, beside the app, so whatever dials the sandbox (the
 * embedded proxy, Caddy, a Kubernetes Service) keeps dialling $PORT whether or not the sandbox has its own
 * network namespace. Plain TCP, two virtual threads per connection, half-closes passed on.
 */
final class PortForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Thread acceptor;

    private PortForwarder(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = Thread.ofVirtual().name("forward-" + server.getLocalPort()).start(this::accept);
    }

    static PortForwarder start(String bind, int port, String targetHost, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 256);
        return new PortForwarder(server, new InetSocketAddress(InetAddress.getByName(targetHost), targetPort));
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        try (client; Socket upstream = new Socket()) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 5000);
            Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException e) {
            // The app refused or either side went away: the client sees the connection close.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[32 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // Closing is all that is left to do.
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Already closed.
        }
        acceptor.interrupt();
    }
}
