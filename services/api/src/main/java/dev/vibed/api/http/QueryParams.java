package dev.vibed.api.http;

import dev.vibed.core.problem.Problem;
import io.helidon.webserver.http.ServerRequest;

/** Reads optional numeric query parameters; absent is null (the application applies its default), junk is a 400. */
public final class QueryParams {
    private QueryParams() {
    }

    public static Integer integer(ServerRequest req, String name) {
        Long v = longValue(req, name);
        if (v == null) {
            return null;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw Problem.badRequest("invalid_" + name, "'" + name + "' is out of range");
        }
        return v.intValue();
    }

    public static Long longValue(ServerRequest req, String name) {
        String raw = req.query().first(name).orElse(null);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid_" + name, "'" + name + "' must be an integer");
        }
    }
}
