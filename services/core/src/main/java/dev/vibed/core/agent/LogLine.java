package dev.vibed.core.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

/** One line of an app's output as the agent recorded it. */
public record LogLine(String ts, String stream, String line) {

    public JsonObject toJson() {
        return Jsons.builder().add("ts", ts).add("stream", stream).add("line", line).build();
    }

    public static LogLine fromJson(JsonObject o) {
        return new LogLine(o.getString("ts", ""), o.getString("stream", "stdout"), o.getString("line", ""));
    }
}
