package dev.vibed.api.graphql;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GraphQL's plain Java values (maps, lists, numbers) to and from JSON, for results and variables. */
public final class GraphQlJson {
    private GraphQlJson() {
    }

    public static JsonValue toJson(Object v) {
        return switch (v) {
            case null -> JsonValue.NULL;
            case JsonValue j -> j;
            case String s -> Json.createValue(s);
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> Json.createValue(i);
            case Long l -> Json.createValue(l);
            case Short s -> Json.createValue(s);
            case Byte b -> Json.createValue(b);
            case BigInteger b -> Json.createValue(b);
            case BigDecimal b -> Json.createValue(b);
            case Double d -> d.isNaN() || d.isInfinite() ? JsonValue.NULL : Json.createValue(d);
            case Float f -> f.isNaN() || f.isInfinite() ? JsonValue.NULL : Json.createValue(f.doubleValue());
            case Map<?, ?> m -> {
                JsonObjectBuilder b = Json.createObjectBuilder();
                m.forEach((k, val) -> b.add(String.valueOf(k), toJson(val)));
                yield b.build();
            }
            case Collection<?> c -> {
                JsonArrayBuilder b = Json.createArrayBuilder();
                c.forEach(x -> b.add(toJson(x)));
                yield b.build();
            }
            default -> Json.createValue(v.toString());
        };
    }

    public static Object toJava(JsonValue v) {
        return switch (v.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) v).getString();
            case NUMBER -> {
                JsonNumber n = (JsonNumber) v;
                if (n.isIntegral()) {
                    BigInteger b = n.bigIntegerValue();
                    yield b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b;
                }
                yield n.doubleValue();
            }
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                ((JsonObject) v).forEach((k, x) -> m.put(k, toJava(x)));
                yield m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                ((JsonArray) v).forEach(x -> l.add(toJava(x)));
                yield l;
            }
        };
    }
}
