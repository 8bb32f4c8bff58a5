package dev.vibed.kube.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A loopback HTTP server answering a fixed body: the "app" behind a route in router tests. */
public final class TinyUpstream implements AutoCloseable {
    private final HttpServer server;

    public TinyUpstream(String body) {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), body);
    }

    /** On a given address, e.g. one loopback address per fake Service, all on one port. */
    public TinyUpstream(InetSocketAddress bind, String body) {
        try {
            server = HttpServer.create(bind, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("binding " + bind, e);
        }
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
