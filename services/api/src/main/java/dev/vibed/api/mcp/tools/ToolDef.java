package dev.vibed.api.mcp.tools;

import java.util.Map;

/**
 * One MCP tool, written once for both eras of the protocol: the session era's SDK server and the 2026-07-28
 * server each adapt it ({@link LegacyTools}, {@link ModernTools}), so a tool cannot behave differently by era.
 *
 * @param inputSchema  JSON Schema of the arguments (checked by the SDK before the handler runs)
 * @param outputSchema JSON Schema of {@link ToolResult#structured()} on success
 */
public record ToolDef(String name, String title, String description, Map<String, Object> inputSchema,
                      Map<String, Object> outputSchema, Hints hints, Handler handler) {

    /** The annotations a client uses to decide whether to ask the user first. */
    public record Hints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {
        public static Hints read() {
            return new Hints(true, false, true, false);
        }

        public static Hints change(boolean destructive, boolean idempotent) {
            return new Hints(false, destructive, idempotent, false);
        }
    }

    @FunctionalInterface
    public interface Handler {
        ToolResult call(ToolCall call);
    }
}
