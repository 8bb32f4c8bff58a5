package dev.vibed.core.problem;

import java.util.Map;

/**
 * A failure a caller can act on, raised by the application services and rendered by each front end in its own
 * way: REST as {@code {code, message, details}} with {@link Kind#httpStatus()}, GraphQL as an error with
 * extensions, MCP as an {@code isError} tool result. Rules live where this is thrown, never in a handler.
 */
public class Problem extends RuntimeException {

    public enum Kind {
        BAD_REQUEST(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), METHOD_NOT_ALLOWED(405), CONFLICT(409),
        GONE(410), TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415), TOO_MANY_REQUESTS(429), INTERNAL(500), UNAVAILABLE(503);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;
    private final String code;
    private final Map<String, Object> details;

    public Problem(Kind kind, String code, String message, Map<String, Object> details) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Problem(Kind kind, String code, String message) {
        this(kind, code, message, Map.of());
    }

    public static Problem badRequest(String code, String message) {
        return new Problem(Kind.BAD_REQUEST, code, message);
    }

    public static Problem notFound(String what) {
        return new Problem(Kind.NOT_FOUND, "not_found", what + " not found");
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
