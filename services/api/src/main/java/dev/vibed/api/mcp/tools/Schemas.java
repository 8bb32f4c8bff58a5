package dev.vibed.api.mcp.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the JSON Schemas of our tools, so each tool's schema reads like its documentation. */
final class Schemas {
    private Schemas() {
    }

    /** An object schema; {@code props} alternates names and property schemas. */
    static Map<String, Object> object(List<String> required, Object... props) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < props.length; i += 2) {
            properties.put((String) props[i], props[i + 1]);
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> integer(String description, int min, int max) {
        return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
    }

    static Map<String, Object> bool(String description) {
        return Map.of("type", "boolean", "description", description);
    }

    static Map<String, Object> stringOrInteger(String description) {
        return Map.of("type", List.of("string", "integer"), "description", description);
    }

    static Map<String, Object> stringMap(String description) {
        return Map.of("type", "object", "description", description, "additionalProperties", Map.of("type", "string"));
    }

    static Map<String, Object> array(Map<String, Object> items, String description) {
        return Map.of("type", "array", "items", items, "description", description);
    }
}
