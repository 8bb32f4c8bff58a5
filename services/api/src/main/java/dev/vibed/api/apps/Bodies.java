package dev.vibed.api.apps;

import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.json.JsonBinding;
import dev.vibed.core.problem.Problem;
import io.helidon.webserver.http.ServerRequest;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Map;

/** The request and response bodies of {@code /v1/apps}, as records mapped with JSON-B. */
public final class Bodies {
    private Bodies() {
    }

    public record AppsPage(List<AppBody> apps, String nextCursor) {
    }

    public record Versions(List<AppBody.VersionBody> versions) {
    }

    public record Lines(List<LogLine> lines) {
    }

    public record Deleting(String appId, String phase) {
    }

    public record RollbackRequest(Integer version) {
    }

    public record EnvRequest(Map<String, String> env) {
    }

    public record ExtendRequest(JsonValue ttl) {
    }

    /** {@code PATCH .../env}: entries to set and names to unset; the rest of the env stays. */
    public record EnvChange(Map<String, String> set, List<String> unset) {
    }

    /**
     * Reads a small JSON body as {@code type}; an empty body is an empty object. A wrong field is a 400 whose code
     * names it ({@code invalid_version}), anything else that is not JSON is {@code malformed_json}.
     */
    static <T> T read(ServerRequest req, Class<T> type) {
        String text = JsonResponses.body(req);
        try {
            return JsonBinding.snakeCase().fromJson(text.isBlank() ? "{}" : text, type);
        } catch (JsonBinding.InvalidJson e) {
            throw Problem.badRequest(e.field() == null ? "malformed_json" : "invalid_" + e.field(), e.getMessage());
        }
    }
}
