package dev.vibed.api.http;

import dev.vibed.core.json.JsonBinding;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON in and out for the REST handlers, and the one place errors become {@code {code, message, details}}. */
public final class JsonResponses {
    /** JSON request bodies (not uploads) are small; anything bigger is refused before it is parsed. */
    public static final int MAX_JSON_BODY = dev.vibed.core.application.Limits.MAX_JSON_BYTES;

    private JsonResponses() {
    }

    /** Sends a record (or list, map) as JSON, snake_case, through JSON-B. */
    public static void send(ServerResponse res, int status, Object body) {
        sendText(res, status, JsonBinding.snakeCase().toJson(body));
    }

    public static void send(ServerResponse res, int status, JsonStructure body) {
        sendText(res, status, body.toString());
    }

    private static void sendText(ServerResponse res, int status, String json) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Every error's wire shape. */
    public record ProblemBody(String code, String message, Map<String, Object> details) {
    }

    public static void problem(ServerResponse res, Problem p) {
        if (p.details().get("retry_after_seconds") instanceof Number wait) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(wait.longValue()));
        }
        send(res, p.kind().httpStatus(), (Object) new ProblemBody(p.code(), p.getMessage(), p.details()));
    }

    /** Reads a small JSON body, refusing oversize ones without buffering them. */
    public static String body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return "";
        }
        try (InputStream in = req.content().inputStream()) {
            return readSmall(in, "body_too_large", "the request body");
        } catch (IOException e) {
            throw Problem.badRequest("bad_body", "the request body could not be read: " + e.getMessage());
        }
    }

    /** Reads at most {@link #MAX_JSON_BODY} bytes as UTF-8; more is a 413 with {@code code}, naming {@code what}. */
    public static String readSmall(InputStream in, String code, String what) throws IOException {
        byte[] bytes = in.readNBytes(MAX_JSON_BODY + 1);
        if (bytes.length > MAX_JSON_BODY) {
            throw new Problem(Problem.Kind.TOO_LARGE, code, what + " is larger than " + MAX_JSON_BODY + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
