package dev.vibed.standalone.testing;

import dev.vibed.api.mcp.tools.ToolDef;
import dev.vibed.api.mcp.tools.ToolResult;

import java.util.List;
import java.util.Map;

/**
 * The MCP conformance suite's fixture tools that exercise plain tool calls, error results and progress. They
 * are registered only by the conformance test (through {@code McpOptions.withExtraTools}), never in a normal
 * start, and run through the same two era adapters as vibeD's own tools.
 */
public final class ConformanceFixtures {
    private ConformanceFixtures() {
    }

    public static List<ToolDef> tools() {
        Map<String, Object> noArgs = Map.of("type", "object", "properties", Map.of());
        return List.of(
                new ToolDef("test_simple_text", "Simple text", "Returns a simple text response (conformance fixture).",
                        noArgs, null, ToolDef.Hints.read(),
                        call -> new ToolResult(null, "This is a simple text response for testing.", false)),
                new ToolDef("test_error_handling", "Error handling", "Always fails (conformance fixture).",
                        noArgs, null, ToolDef.Hints.read(),
                        call -> ToolResult.failure("This tool intentionally returns an error for testing")),
                new ToolDef("test_tool_with_progress", "Progress", "Reports progress 0, 50, 100 (conformance fixture).",
                        noArgs, null, ToolDef.Hints.read(), call -> {
                    for (int p = 0; p <= 100; p += 50) {
                        call.progress().report(p, 100.0, "step " + p);
                        // The work a step stands for, so the notifications are spread over the call as a slow
                        // tool's are; nothing is waited for.
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new ToolResult(null, "Progress complete", false);
                }));
    }
}
