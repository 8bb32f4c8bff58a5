package dev.vibed.core.json;

/**
 * JSON strings written by hand, with exactly the escapes JSON-B's generator uses (quote, backslash, control
 * characters; nothing else), for the few hot files written without JSON-B whose text must stay what JSON-B writes.
 */
public final class JsonText {
    private JsonText() {
    }

    /** Appends {@code s} to {@code out} as a quoted JSON string. */
    public static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
