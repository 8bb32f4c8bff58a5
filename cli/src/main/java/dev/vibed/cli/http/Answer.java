package dev.vibed.cli.http;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;

/** One HTTP answer from the server: its status and body, with the body read as JSON on demand. */
public record Answer(int status, String body) {

    public JsonObject json() {
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readObject();
        } catch (JsonParsingException | ClassCastException | IllegalStateException e) {
            return Json.createObjectBuilder().add("code", "unreadable_answer")
                    .add("message", "the server answered HTTP " + status + " with something that is not JSON").build();
        }
    }
}
