package dev.vibed.core.json;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;

import java.lang.reflect.Type;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON-B (Yasson) set up once for the project's records: {@link #snakeCase()} for the REST bodies, {@link #camelCase()}
 * for files on disk. Both are strict where Yasson is lenient by default: a string field given a number, a whole-number
 * field given 1.5 or a value out of range, and unknown fields are errors that name the field, so a stranger's bad body
 * is a clear 400 and never a silently different value.
 */
public final class JsonBinding {
    private static final Pattern PROPERTY = Pattern.compile("property '([A-Za-z0-9_]+)'");
    private static final JsonBinding SNAKE = new JsonBinding(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES);
    private static final JsonBinding CAMEL = new JsonBinding(PropertyNamingStrategy.IDENTITY);

    private final Jsonb jsonb;

    private JsonBinding(String naming) {
        JsonbConfig config = new JsonbConfig()
                .withPropertyNamingStrategy(naming)
                .withDeserializers(new StrictString(), new StrictInteger(), new StrictLong());
        config.setProperty("jsonb.fail-on-unknown-properties", true);
        this.jsonb = JsonbBuilder.create(config);
    }

    /** The REST wire format: {@code app_id}, {@code observed_generation}, ... */
    public static JsonBinding snakeCase() {
        return SNAKE;
    }

    /** Java's own names, for files the project writes and reads itself. */
    public static JsonBinding camelCase() {
        return CAMEL;
    }

    public String toJson(Object value) {
        return jsonb.toJson(value);
    }

    /**
     * Reads {@code text} as a {@code type}.
     *
     * @throws InvalidJson naming the field that was wrong (null when the text is not JSON at all)
     */
    public <T> T fromJson(String text, Class<T> type) {
        try {
            T value = jsonb.fromJson(text, type);
            if (value == null) {
                throw new InvalidJson(null, "expected a JSON object");
            }
            return value;
        } catch (JsonbException | jakarta.json.JsonException | IllegalStateException e) {
            throw InvalidJson.from(e);
        }
    }

    /** A body that does not fit its record; {@link #field()} is the wire name of the offending field, if known. */
    public static final class InvalidJson extends IllegalArgumentException {
        private final String field;

        InvalidJson(String field, String message) {
            super(message);
            this.field = field;
        }

        static InvalidJson from(Exception e) {
            String message = e.getMessage() == null ? "malformed JSON" : e.getMessage();
            Matcher m = PROPERTY.matcher(message);
            if (m.find()) {
                Throwable cause = e.getCause();
                String why = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
                return new InvalidJson(m.group(1), "'" + m.group(1) + "': " + why);
            }
            Matcher unknown = Pattern.compile("Json property ([A-Za-z0-9_]+) can not be mapped").matcher(message);
            if (unknown.find()) {
                return new InvalidJson(unknown.group(1), "unknown field '" + unknown.group(1) + "'");
            }
            return new InvalidJson(null, "malformed JSON: " + message.replace("Internal error: ", ""));
        }

        public String field() {
            return field;
        }
    }

    private static String kind(JsonValue v) {
        return v.getValueType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static final class StrictString implements JsonbDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
            JsonValue v = parser.getValue();
            if (v == JsonValue.NULL) {
                return null;
            }
            if (v instanceof JsonString s) {
                return s.getString();
            }
            throw new JsonbException("expected a string, got " + kind(v));
        }
    }

    private static final class StrictInteger implements JsonbDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
            JsonValue v = parser.getValue();
            if (v == JsonValue.NULL) {
                return null;
            }
            if (v instanceof JsonNumber n && n.isIntegral()) {
                try {
                    return n.intValueExact();
                } catch (ArithmeticException e) {
                    throw new JsonbException("the number " + n + " is out of range");
                }
            }
            throw new JsonbException("expected a whole number, got " + v);
        }
    }

    private static final class StrictLong implements JsonbDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
            JsonValue v = parser.getValue();
            if (v == JsonValue.NULL) {
                return null;
            }
            if (v instanceof JsonNumber n && n.isIntegral()) {
                try {
                    return n.longValueExact();
                } catch (ArithmeticException e) {
                    throw new JsonbException("the number " + n + " is out of range");
                }
            }
            throw new JsonbException("expected a whole number, got " + v);
        }
    }
}
