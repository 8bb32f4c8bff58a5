package dev.vibed.api.mcp.tools;

import dev.vibed.core.access.Caller;

import java.util.Map;

/**
 * What a tool handler gets, whatever the era: who calls (from the bearer credential), the arguments, the base
 * URL the client reached us at (for URLs we hand back) and where progress goes.
 */
public record ToolCall(Caller caller, Map<String, Object> args, String apiBase, Progress progress) {
    public ToolCall {
        args = args == null ? Map.of() : args;
        progress = progress == null ? Progress.NONE : progress;
    }

    /** Progress towards the result; a no-op unless the client sent a progress token. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (value, total, message) -> {
        };

        void report(double value, Double total, String message);
    }

    public String string(String name) {
        return args.get(name) instanceof String s && !s.isBlank() ? s : null;
    }

    public Integer integer(String name) {
        return args.get(name) instanceof Number n ? n.intValue() : null;
    }

    /** A ttl given as text ("2h") or as a number of seconds. */
    public String ttl(String name) {
        Object v = args.get(name);
        return v instanceof Number n ? Long.toString(n.longValue()) : v instanceof String s && !s.isBlank() ? s : null;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String name) {
        return args.get(name) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
