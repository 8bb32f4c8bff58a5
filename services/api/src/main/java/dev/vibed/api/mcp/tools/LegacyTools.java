package dev.vibed.api.mcp.tools;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.List;

/**
 * Adapts {@link ToolDef}s to the session-era SDK server (2025-03-26 to 2025-11-25): progress goes out as
 * {@code notifications/progress} on the calling request's stream, only when the request carried a token.
 */
public final class LegacyTools {
    private LegacyTools() {
    }

    public static List<McpServerFeatures.SyncToolSpecification> of(List<ToolDef> defs) {
        return defs.stream().map(LegacyTools::spec).toList();
    }

    private static McpServerFeatures.SyncToolSpecification spec(ToolDef def) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(def.name()).title(def.title()).description(def.description())
                .inputSchema(def.inputSchema()).outputSchema(def.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(def.title(), def.hints().readOnly(), def.hints().destructive(),
                        def.hints().idempotent(), def.hints().openWorld(), null))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(def, exchange, request)).build();
    }

    private static McpSchema.CallToolResult call(ToolDef def, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object token = request.progressToken();
        ToolCall.Progress progress = token == null ? ToolCall.Progress.NONE
                : (value, total, message) -> exchange.progressNotification(new McpSchema.ProgressNotification(token, value, total, message));
        ToolResult r = def.handler().call(new ToolCall(CallContext.caller(exchange.transportContext()), request.arguments(),
                CallContext.apiBase(exchange.transportContext()), progress));
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder().addTextContent(r.text()).isError(r.error());
        if (r.structured() != null) {
            result.structuredContent(r.structured());
        }
        return result.build();
    }
}
