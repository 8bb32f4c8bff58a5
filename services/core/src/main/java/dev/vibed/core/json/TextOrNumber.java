package dev.vibed.core.json;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A field users may write either way, like {@code "ttl": "24h"} or {@code "ttl": 3600}: read as the text the rules
 * parse. Anything else is the caller's mistake, named by field.
 */
public final class TextOrNumber {
    private TextOrNumber() {
    }

    public static String read(JsonValue v, String field) {
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (v instanceof JsonNumber n && n.isIntegral()) {
            return n.bigIntegerValue().toString();
        }
        throw new IllegalArgumentException("'" + field + "' must be a string such as \"24h\" or a whole number of seconds");
    }
}
