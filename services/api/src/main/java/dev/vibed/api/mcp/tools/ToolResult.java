package dev.vibed.api.mcp.tools;

import dev.vibed.core.problem.Problem;

import java.util.Map;
import java.util.TreeMap;

/**
 * A tool's answer, whatever the era: on success the structured content (matching the tool's output schema) plus
 * its text copy; on failure {@code isError} with a text a model can act on. Problems from the application layer
 * become failures here, never protocol errors, so the assistant reads the code and message and can correct
 * itself.
 */
public record ToolResult(Map<String, Object> structured, String text, boolean error) {

    public static ToolResult ok(Map<String, Object> structured, String text) {
        return new ToolResult(structured, text, false);
    }

    /** {@code code: message}, then the details (limits, paths) a caller needs to fix the call. */
    public static ToolResult problem(Problem p) {
        StringBuilder text = new StringBuilder(p.code()).append(": ").append(p.getMessage());
        if (!p.details().isEmpty()) {
            text.append("\ndetails: ").append(new TreeMap<>(p.details()));
        }
        return failure(text.toString());
    }

    public static ToolResult failure(String text) {
        return new ToolResult(null, text, true);
    }
}
