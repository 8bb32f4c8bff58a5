package dev.vibed.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the static template on the app port from inside the agent: no extra process, no extra runtime.
 * Paths are decoded, normalised and refused when they try to leave the root ({@code ..}, links pointing out);
 * dot-files are not served because .env and .git are what people tar by accident. A site without a 404.html
 * answers extension-less paths that match nothing with its index.html, as client-side routers need; with one,
 * that page is the answer, with status 404.
 */
final class StaticFileServer implements AutoCloseable {
    private static final String NOT_FOUND_PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>\
            <body><h1>404 Not Found</h1><p>There is nothing at this address.</p></body></html>
            """;

    private final Path root;
    private final Path realRoot;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private StaticFileServer(Path root, HttpServer server) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
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
            String path = uri.getPath();
            Path file = resolve(path);
            if (file != null && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                if (!path.endsWith("/")) {
                    // Relative links in index.html resolve against the folder only with the trailing slash.
                    String q = uri.getRawQuery();
                    ex.getResponseHeaders().set("Location", uri.getRawPath() + "/" + (q == null ? "" : "?" + q));
                    send(ex, 301, "text/plain; charset=utf-8", "", head);
                    return;
                }
                file = file.resolve("index.html");
            }
            if (file == null || !servable(file)) {
                Path custom = root.resolve("404.html");
                Path index = root.resolve("index.html");
                if (servable(custom)) {
                    sendFile(ex, 404, custom, head);
                } else if (file != null && isRoute(path) && servable(index)) {
                    // A client-side router's deep link (/users/42): the app's page decides what it shows.
                    sendFile(ex, 200, index, head);
                } else {
                    send(ex, 404, "text/html; charset=utf-8", NOT_FOUND_PAGE, head);
                }
                return;
            }
            sendFile(ex, 200, file, head);
        }
    }

    /** An extension-less last segment: what a single-page app's routes look like, unlike a missing asset. */
    private static boolean isRoute(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !last.contains(".");
    }

    /** The file for a request path, or null when the path is malformed or tries to escape. */
    private Path resolve(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return null;
        }
        Path p = root;
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..") || seg.startsWith(".") && !seg.equals(".well-known")) {
                return null;
            }
            p = p.resolve(seg);
        }
        return p.normalize().startsWith(root) ? p : null;
    }

    /** A regular file whose real location is inside the root: links may exist but must not point out. */
    private boolean servable(Path file) {
        try {
            return Files.isRegularFile(file) && file.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    private static void sendFile(HttpExchange ex, int status, Path file, boolean head) throws IOException {
        long size = Files.size(file);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", ContentTypes.of(file.getFileName().toString()));
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Last-Modified", httpDate(Files.getLastModifiedTime(file).toInstant()));
        h.set("Cache-Control", "no-cache");
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

    private static String httpDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
