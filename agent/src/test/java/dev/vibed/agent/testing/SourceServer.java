package dev.vibed.agent.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Plays the blob store: serves archives to the agent from 127.0.0.1, like a presigned URL would. */
public final class SourceServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

    public SourceServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/blobs/", ex -> {
            try (ex) {
                byte[] body = blobs.get(ex.getRequestURI().getPath().substring("/blobs/".length()));
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // Streams zeros without a Content-Length: only the agent's own counting can stop it.
        server.createContext("/endless", ex -> {
            try (ex) {
                long size = Long.parseLong(ex.getRequestURI().getQuery());
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = ex.getResponseBody()) {
                    for (long left = size; left > 0; left -= chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                } catch (IOException e) {
                    // The agent hung up once it had seen enough: that is the point.
                }
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Publishes {@code bytes}; returns the URL the agent should pull. */
    public String put(String name, byte[] bytes) {
        blobs.put(name, bytes);
        return url("/blobs/" + name);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
