package dev.vibed.core.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Small helpers over JSON-P. The wire contracts (agent API, REST bodies, stored apps) are mapped by hand:
 * it keeps snake_case names explicit and the agent free of reflection-heavy binding at start-up.
 */
public final class Jsons {
    private Jsons() {
    }

    /** Parses an object; malformed or non-object input becomes {@link IllegalArgumentException}. */
    public static JsonObject parseObject(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return value.asJsonObject();
        } catch (jakarta.json.JsonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }

    public static Optional<String> string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        return Optional.of(((jakarta.json.JsonString) v).getString());
    }

    /** A value clients may send either way, such as a ttl of {@code 3600} or {@code "1h"}: as text, or empty. */
    public static Optional<String> stringOrNumber(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v != null && v.getValueType() == JsonValue.ValueType.NUMBER) {
            return Optional.of(String.valueOf(number(o, key, 0)));
        }
        return string(o, key);
    }

    public static long number(JsonObject o, String key, long fallback) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (v.getValueType() != JsonValue.ValueType.NUMBER) {
            throw new IllegalArgumentException("'" + key + "' must be a number");
        }
        return ((jakarta.json.JsonNumber) v).longValueExact();
    }

    public static boolean bool(JsonObject o, String key, boolean fallback) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        throw new IllegalArgumentException("'" + key + "' must be a boolean");
    }

    /** Reads a flat string map such as {@code env}; any non-string value is rejected. */
    public static Map<String, String> stringMap(JsonObject o, String key) {
        JsonValue v = o.get(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return out;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException("'" + key + "' must be an object of strings");
        }
        for (var e : v.asJsonObject().entrySet()) {
            if (e.getValue().getValueType() != JsonValue.ValueType.STRING) {
                throw new IllegalArgumentException("'" + key + "." + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), ((jakarta.json.JsonString) e.getValue()).getString());
        }
        return out;
    }

    public static JsonObject object(Map<String, String> map) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        map.forEach(b::add);
        return b.build();
    }

    public static JsonObjectBuilder builder() {
        return Json.createObjectBuilder();
    }

    public static jakarta.json.JsonArrayBuilder arrayBuilder() {
        return Json.createArrayBuilder();
    }

    public static JsonArray array(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalArgumentException("'" + key + "' must be an array");
        }
        return v.asJsonArray();
    }

    /** Adds the pair only when the value is non-null: absent beats {@code null} in our payloads. */
    public static JsonObjectBuilder addIfPresent(JsonObjectBuilder b, String key, Object value) {
        if (value == null) {
            return b;
        }
        if (value instanceof String s) {
            b.add(key, s);
        } else if (value instanceof Integer i) {
            b.add(key, i);
        } else if (value instanceof Long l) {
            b.add(key, l);
        } else if (value instanceof Boolean z) {
            b.add(key, z);
        } else if (value instanceof JsonValue jv) {
            b.add(key, jv);
        } else {
            b.add(key, value.toString());
        }
        return b;
    }
}
