package dev.vibed.core.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

/**
 * One line of an app's output as the agent recorded it. {@code seq} numbers the lines of one sandbox in order, so
 * a follower that reconnects asks for the lines after the last one it saw and gets no gap and no repeat.
 */
public record LogLine(long seq, String ts, String stream, String line) {

    public JsonObject toJson() {
        return Jsons.builder().add("seq", seq).add("ts", ts).add("stream", stream).add("line", line).build();
    }

    public static LogLine fromJson(JsonObject o) {
        return new LogLine(o.containsKey("seq") ? o.getJsonNumber("seq").longValue() : 0,
                o.getString("ts", ""), o.getString("stream", "stdout"), o.getString("line", ""));
    }
}
