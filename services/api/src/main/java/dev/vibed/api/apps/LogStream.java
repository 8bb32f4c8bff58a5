package dev.vibed.api.apps;

import dev.vibed.core.json.JsonBinding;
import dev.vibed.core.lifecycle.AppService;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a log follow as server-sent events, one {@code data:} JSON line per log line, flushed per event. Written by
 * hand on the response stream: Helidon's SSE sink (as of 4.2) cannot send comment-only events and closes the socket.
 */
final class LogStream {
    private LogStream() {
    }

    static void follow(ServerResponse res, AppService.LogFollow follow) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        // Nothing is written before the agent's stream is open (its first event is a comment, passed on as a
        // heartbeat), so a reader that got our headers misses no line logged after that.
        try (OutputStream out = res.outputStream()) {
            follow.run(line -> {
                try {
                    String event = line == null ? ": keepalive\n\n" : "id: " + line.seq() + "\ndata: " + JsonBinding.snakeCase().toJson(line) + "\n\n";
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return true;
                } catch (IOException e) {
                    return false; // the reader went away: stop following
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the reader went away while we closed the stream
        }
    }
}
