package dev.vibed.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vibed.core.site.SiteFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the static template on the app port from inside the agent: no extra process, no extra runtime. Which
 * file a path gets (and what is refused) is {@link SiteFiles}'s, shared with standalone's static host.
 */
final class StaticFileServer implements AutoCloseable {
    private final SiteFiles files;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private StaticFileServer(Path root, HttpServer server) throws IOException {
        this.files = new SiteFiles(root);
        this.server = server;
    }

    static StaticFileServer start(Path root, String bind, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 128);
        StaticFileServer s = new StaticFileServer(root, server);
        server.createContext("/", s::handle);
        server.setExecutor(s.executor);
        server.start();
        return s;
    }

    /** The port it listens on: the one asked for, or the one picked for port 0. */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n", head);
                return;
            }
            URI uri = ex.getRequestURI();
            switch (files.answer(uri.getPath(), uri.getRawPath(), uri.getRawQuery())) {
                case SiteFiles.FileAnswer f -> sendFile(ex, f.status(), f.file(), head);
                case SiteFiles.Redirect r -> {
                    ex.getResponseHeaders().set("Location", r.location());
                    send(ex, 301, "text/plain; charset=utf-8", "", head);
                }
                case SiteFiles.NotFound n -> send(ex, 404, "text/html; charset=utf-8", SiteFiles.NOT_FOUND_PAGE, head);
            }
        }
    }

    private static void sendFile(HttpExchange ex, int status, Path file, boolean head) throws IOException {
        long size = Files.size(file);
        var h = ex.getResponseHeaders();
        SiteFiles.headers(file).forEach(h::set);
        if (head) {
            h.set("Content-Length", Long.toString(size));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, size == 0 ? -1 : size);
        if (size > 0) {
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (head || bytes.length == 0) {
            if (head) {
                ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            }
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
