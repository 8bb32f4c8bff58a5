package dev.vibed.standalone.site;

import dev.vibed.core.site.SiteFiles;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Answers a request routed to a site of the shared static host, in the proxy's own thread: no socket, no second
 * server. The site is the one the route names (the Host header picked the route), so a path can only ever select
 * files of that site, and the rules of {@link SiteFiles} decide which (no {@code ..}, no dot-files, no links out).
 */
public final class StaticSiteHandler {
    private final StaticSites sites;

    public StaticSiteHandler(StaticSites sites) {
        this.sites = sites;
    }

    /** @return false when the site has no files to serve yet (bound, not injected): the caller answers "starting" */
    public boolean serve(String target, RoutingRequest req, RoutingResponse res) {
        Optional<StaticSites.Served> served = sites.get(SiteAddress.claimOfTarget(target)).flatMap(StaticSites.Site::served);
        if (served.isEmpty()) {
            return false;
        }
        Method method = req.prologue().method();
        boolean head = method.equals(Method.HEAD);
        if (!head && !method.equals(Method.GET)) {
            res.header(HeaderNames.ALLOW, "GET, HEAD");
            send(res, Status.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8", "method not allowed\n", false);
            return true;
        }
        String rawQuery = req.query().rawValue();
        switch (served.get().files().answer(req.path().path(), req.path().rawPath(), rawQuery.isEmpty() ? null : rawQuery)) {
            case SiteFiles.FileAnswer f -> sendFile(res, f.status(), f.file(), head);
            case SiteFiles.Redirect r -> {
                res.header(HeaderNames.LOCATION, r.location());
                send(res, Status.MOVED_PERMANENTLY_301, "text/plain; charset=utf-8", "", head);
            }
            case SiteFiles.NotFound n -> send(res, Status.NOT_FOUND_404, "text/html; charset=utf-8", SiteFiles.NOT_FOUND_PAGE, head);
        }
        return true;
    }

    private static void sendFile(RoutingResponse res, int status, Path file, boolean head) {
        try {
            long size = Files.size(file);
            res.status(Status.create(status));
            SiteFiles.headers(file).forEach(res::header);
            res.headers().contentLength(size);
            if (head || size == 0) {
                res.send();
                return;
            }
            try (OutputStream out = res.outputStream()) {
                Files.copy(file, out);
            }
            // Closing the stream only marks the answer done; a filter must also commit it before it returns.
            res.commit();
        } catch (IOException e) {
            // The file went away under us (a redeploy replaced the release): the server answers 500.
            throw new UncheckedIOException(e);
        }
    }

    private static void send(RoutingResponse res, Status status, String type, String body, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, type);
        if (head) {
            res.headers().contentLength(bytes.length);
            res.send();
        } else {
            res.send(bytes);
        }
    }
}
