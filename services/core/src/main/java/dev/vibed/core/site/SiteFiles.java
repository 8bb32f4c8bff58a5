package dev.vibed.core.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The serving rules of a static site, in one place for every server that serves one (the agent's static server in
 * a sandbox, and standalone's shared static host): which file a request path gets and with which status. Paths are
 * decoded, normalised and refused when they try to leave the root ({@code ..}, links pointing out); dot-files are
 * not served because .env and .git are what people tar by accident. A site without a 404.html answers
 * extension-less paths that match nothing with its index.html, as client-side routers need; with one, that page is
 * the answer, with status 404. Stateless apart from the root, so one instance per site is safe to share.
 */
public final class SiteFiles {
    /** The answer when the site has neither the file nor a 404.html nor (for a route) an index.html. */
    public static final String NOT_FOUND_PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>\
            <body><h1>404 Not Found</h1><p>There is nothing at this address.</p></body></html>
            """;

    /** What to answer a GET or HEAD with. */
    public sealed interface Answer {
    }

    /** Send {@code file} with {@code status} (200, or 404 for the site's own 404.html) and {@link #headers}. */
    public record FileAnswer(int status, Path file) implements Answer {
    }

    /** 301 to the folder with its trailing slash: relative links in its index.html resolve only then. */
    public record Redirect(String location) implements Answer {
    }

    /** 404 with {@link #NOT_FOUND_PAGE}. */
    public record NotFound() implements Answer {
    }

    private final Path root;
    private final Path realRoot;

    public SiteFiles(Path root) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
    }

    /**
     * @param path     the request's decoded path
     * @param rawPath  the same path as sent, for the redirect's Location
     * @param rawQuery the query as sent, or null
     */
    public Answer answer(String path, String rawPath, String rawQuery) {
        Path file = resolve(path);
        if (file != null && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!path.endsWith("/")) {
                return new Redirect(rawPath + "/" + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
            }
            file = file.resolve("index.html");
        }
        if (file != null && servable(file)) {
            return new FileAnswer(200, file);
        }
        Path custom = root.resolve("404.html");
        Path index = root.resolve("index.html");
        if (servable(custom)) {
            return new FileAnswer(404, custom);
        }
        if (file != null && isRoute(path) && servable(index)) {
            // A client-side router's deep link (/users/42): the app's page decides what it shows.
            return new FileAnswer(200, index);
        }
        return new NotFound();
    }

    /** The headers every served file gets: its type, no sniffing, its date, and revalidation on every load. */
    public static Map<String, String> headers(Path file) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", ContentTypes.of(file.getFileName().toString()));
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Last-Modified", httpDate(Files.getLastModifiedTime(file).toInstant()));
        h.put("Cache-Control", "no-cache");
        return h;
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

    private static String httpDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }
}
