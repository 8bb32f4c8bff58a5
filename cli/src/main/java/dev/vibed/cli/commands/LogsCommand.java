package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.http.SseEvents;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * {@code vibed logs APP}: the app's recent output, and with {@code -f} every new line as it is written (the
 * server's log stream, not polling). {@code --json} writes one JSON object per line (NDJSON):
 * {@code {"seq", "ts", "stream", "line"}}.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Show an app's output; -f follows it.")
public final class LogsCommand implements Callable<Integer> {
    private static final int MAX_TAIL = 5000;

    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until interrupted")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "how many recent lines to show first (default: 100)")
    Integer tail;

    @Option(names = "--since", paramLabel = "DURATION", description = "only lines written in the last DURATION (10m, 2h, ...)")
    String since;

    @Option(names = "--json", description = "one JSON object per line (NDJSON): seq, ts, stream, line")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws IOException {
        ApiClient api = connection.client();
        String id = Apps.id(Apps.find(api, app));
        Instant from = since == null ? null : Instant.now().minus(Durations.parse(since, "--since"));
        // With --since the server's whole retained tail is read and filtered here by each line's time.
        int n = tail != null ? tail : from != null ? MAX_TAIL : 100;
        if (n < 0 || n > MAX_TAIL) {
            throw new CliError(CliError.USAGE, "--tail must be between 0 and " + MAX_TAIL);
        }
        PrintStream out = System.out;
        if (!follow) {
            JsonObject body = api.get("/v1/apps/" + id + "/logs?tail=" + n);
            for (JsonValue v : body.getJsonArray("lines")) {
                print(out, v.asJsonObject(), from);
            }
            out.flush();
            return 0;
        }
        try (InputStream stream = api.events("/v1/apps/" + id + "/logs?follow=true&tail=" + n);
             SseEvents events = new SseEvents(stream)) {
            SseEvents.Event e;
            while ((e = events.next()) != null) {
                try (JsonReader r = Json.createReader(new StringReader(e.data()))) {
                    print(out, r.readObject(), from);
                }
                out.flush();
            }
        }
        return 0;
    }

    private void print(PrintStream out, JsonObject line, Instant from) {
        if (from != null && before(line, from)) {
            return;
        }
        out.println(json ? line.toString() : line.getString("line", ""));
    }

    private static boolean before(JsonObject line, Instant from) {
        try {
            return Instant.parse(line.getString("ts", "")).isBefore(from);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
