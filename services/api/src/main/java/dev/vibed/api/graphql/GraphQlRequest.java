package dev.vibed.api.graphql;

import dev.vibed.core.problem.Problem;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.Map;

/**
 * One GraphQL request as every transport carries it: the document, the operation to run and its variables.
 * Parsed from a POST body, GET query parameters or a WebSocket {@code subscribe} payload.
 */
public record GraphQlRequest(String query, String operationName, Map<String, Object> variables, Map<String, Object> extensions) {

    public GraphQlRequest {
        if (query == null || query.isBlank()) {
            throw Problem.badRequest("bad_request", "the request has no query");
        }
        variables = variables == null ? Map.of() : variables;
        extensions = extensions == null ? Map.of() : extensions;
    }

    public static GraphQlRequest fromJson(String text) {
        JsonObject o;
        try {
            JsonValue v = Json.createReader(new StringReader(text)).readValue();
            if (!(v instanceof JsonObject obj)) {
                throw Problem.badRequest("bad_request", "the request body must be a JSON object with a query");
            }
            o = obj;
        } catch (jakarta.json.JsonException e) {
            throw Problem.badRequest("bad_request", "the request body is not JSON: " + e.getMessage());
        }
        return fromJson(o);
    }

    @SuppressWarnings("unchecked")
    public static GraphQlRequest fromJson(JsonObject o) {
        return new GraphQlRequest(string(o, "query"), string(o, "operationName"),
                (Map<String, Object>) objectOrNull(o, "variables"), (Map<String, Object>) objectOrNull(o, "extensions"));
    }

    /** GET: {@code variables} and {@code extensions} arrive as JSON text in query parameters. */
    @SuppressWarnings("unchecked")
    public static GraphQlRequest fromParams(String query, String operationName, String variables, String extensions) {
        return new GraphQlRequest(query, blankToNull(operationName),
                (Map<String, Object>) parseObjectParam("variables", variables),
                (Map<String, Object>) parseObjectParam("extensions", extensions));
    }

    private static Object parseObjectParam(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonValue v = Json.createReader(new StringReader(text)).readValue();
            if (v.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            if (!(v instanceof JsonObject)) {
                throw Problem.badRequest("bad_request", name + " must be a JSON object");
            }
            return GraphQlJson.toJava(v);
        } catch (jakarta.json.JsonException e) {
            throw Problem.badRequest("bad_request", name + " is not JSON: " + e.getMessage());
        }
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw Problem.badRequest("bad_request", key + " must be a string");
        }
        return ((jakarta.json.JsonString) v).getString();
    }

    private static Object objectOrNull(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw Problem.badRequest("bad_request", key + " must be an object");
        }
        return GraphQlJson.toJava(v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
