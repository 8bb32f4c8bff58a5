package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.http.SseEvents;
import dev.vibed.cli.term.StatusLine;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The server's live status ({@code GET /v1/watch}, server-sent events) as the CLI's wait: no polling. A reader
 * thread keeps the latest state of each app and shows the phase of the app being waited for; {@link #await}
 * returns as soon as one state satisfies the condition. Opened before the action it waits for, or after it (the
 * stream starts with a snapshot), so no change is missed either way.
 */
final class LiveWatch implements AutoCloseable {
    private final InputStream stream;
    private final StatusLine line;
    private final Map<String, JsonObject> latest = new HashMap<>();
    private final Thread reader;
    private Predicate<JsonObject> shown = app -> false;
    private boolean ended;

    private LiveWatch(InputStream stream, StatusLine line) {
        this.stream = stream;
        this.line = line;
        this.reader = Thread.ofPlatform().daemon().name("vibed-watch").unstarted(this::read);
    }

    /** Watches one app ({@code appId}) or, with null, every app of the caller. */
    static LiveWatch open(ApiClient api, String appId, StatusLine line) {
        LiveWatch w = new LiveWatch(api.events("/v1/watch" + (appId == null ? "" : "?app=" + ApiClient.encode(appId))), line);
        w.reader.start();
        return w;
    }

    /** Which app's phase to show while waiting, starting with its current state. */
    synchronized void show(Predicate<JsonObject> which) {
        this.shown = which;
        latest.values().stream().filter(which).forEach(a -> line.show(describe(a)));
    }

    /** Which app's phase to show from the next change on (its current state may be an older version's). */
    synchronized void showChanges(Predicate<JsonObject> which) {
        this.shown = which;
    }

    /** The first state that satisfies {@code done}; a {@link CliError} when the stream ends or time runs out. */
    synchronized JsonObject await(Predicate<JsonObject> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonObject app : latest.values()) {
                if (done.test(app)) {
                    return app;
                }
            }
            if (ended) {
                throw new CliError(CliError.UNREACHABLE, "the live status stream ended before the app was ready; "
                        + "check with `vibed status APP`");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CliError(CliError.FAILED, "not ready after " + timeout.toSeconds()
                        + " s; it may still come up: follow with `vibed status APP` and `vibed logs APP -f`");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliError(CliError.FAILED, "interrupted");
            }
        }
    }

    static String describe(JsonObject app) {
        String phase = app.getString("phase", "?");
        int version = Apps.integer(app, "active_version");
        return "  " + app.getString("name", app.getString("app_id", "")) + ": " + phase
                + (version > 0 ? " (version " + version + ")" : "");
    }

    private void read() {
        try (SseEvents events = new SseEvents(stream)) {
            SseEvents.Event e;
            while ((e = events.next()) != null) {
                if (e.name().equals("app") || e.name().equals("removed")) {
                    JsonObject app;
                    try (JsonReader r = Json.createReader(new StringReader(e.data()))) {
                        app = r.readObject();
                    }
                    if (e.name().equals("removed")) {
                        synchronized (this) {
                            latest.remove(app.getString("app_id", ""));
                            notifyAll();
                        }
                        continue;
                    }
                    synchronized (this) {
                        latest.put(app.getString("app_id"), app);
                        if (shown.test(app)) {
                            line.show(describe(app));
                        }
                        notifyAll();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed by us, or the server went away: await reports it
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            // already gone
        }
        reader.interrupt();
    }
}
