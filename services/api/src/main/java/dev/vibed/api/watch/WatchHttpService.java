package dev.vibed.api.watch;

import dev.vibed.api.apps.AppBody;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.json.JsonBinding;
import dev.vibed.core.watch.AppChange;
import dev.vibed.core.watch.Subscription;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/watch[?app=ID]}: the live watch as server-sent events, for the CLI and scripts. Each event is
 * {@code app} (the app as {@code GET /v1/apps/{id}} shows it) or {@code removed} ({@code {"app_id"}}); a comment
 * every 15 s keeps proxies from closing the stream and lets us notice a reader that left.
 */
public final class WatchHttpService implements HttpService {
    private static final long HEARTBEAT_SECONDS = 5;

    private static final JsonBinding JSON = JsonBinding.snakeCase();

    public record Removed(String appId) {
    }

    private final Vibed vibed;
    private final CallerResolver callers;

    public WatchHttpService(Vibed vibed, CallerResolver callers) {
        this.vibed = vibed;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::watch);
    }

    private void watch(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        String appId = req.query().first("app").filter(s -> !s.isBlank()).orElse(null);
        // The subscription's own thread hands changes over; this handler thread owns the socket. The hand-over queue
        // is small on purpose: the subscription's mailbox already coalesces a backlog to the latest state per app.
        BlockingQueue<AppChange> handOver = new ArrayBlockingQueue<>(16);
        try (Subscription sub = vibed.watch(caller, appId, change -> {
            try {
                handOver.put(change);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("watch ended");
            }
        })) {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            try (OutputStream out = res.outputStream()) {
                write(out, ": vibed watch\n\n");
                while (true) {
                    AppChange change = handOver.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                    if (change == null) {
                        write(out, ": keepalive\n\n");
                    } else if (change.removed()) {
                        write(out, "event: removed\ndata: " + JSON.toJson(new Removed(change.appId())) + "\n\n");
                    } else {
                        write(out, "event: app\ndata: " + JSON.toJson(AppBody.of(change.app())) + "\n\n");
                    }
                }
            }
        } catch (IOException | InterruptedException | java.io.UncheckedIOException e) {
            // the reader went away
        }
    }

    private static void write(OutputStream out, String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
