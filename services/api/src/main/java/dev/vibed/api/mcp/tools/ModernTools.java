package dev.vibed.api.mcp.tools;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapts {@link ToolDef}s to the 2026-07-28 SDK server. A call whose request carries a progress token answers as
 * a stream, so its progress notifications reach the client before the result; other calls answer plain JSON.
 */
public final class ModernTools implements McpSyncToolRepository {
    private final Map<String, McpSyncTool> tools = new LinkedHashMap<>();
    private final List<McpSchema.Tool> definitions;

    public ModernTools(List<ToolDef> defs) {
        for (ToolDef def : defs) {
            McpSchema.Tool tool = McpSchema.Tool.builder(def.name(), def.inputSchema())
                    .title(def.title()).description(def.description()).outputSchema(def.outputSchema())
                    .annotations(McpSchema.ToolAnnotations.builder().title(def.title()).readOnlyHint(def.hints().readOnly())
                            .destructiveHint(def.hints().destructive()).idempotentHint(def.hints().idempotent())
                            .openWorldHint(def.hints().openWorld()).build())
                    .build();
            tools.put(def.name(), McpSyncTool.of(tool, (ctx, request) -> call(def, ctx, request)));
        }
        definitions = tools.values().stream().map(McpSyncTool::definition).toList();
    }

    @Override
    public ToolsPage list(McpRequestContext ctx, String cursor) {
        return ToolsPage.of(definitions);
    }

    @Override
    public McpSyncTool find(McpRequestContext ctx, String name) {
        return tools.get(name); // null: the SDK answers "Unknown tool"
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> call(ToolDef def, McpRequestContext ctx, McpSchema.CallToolRequest request) {
        if (ctx.progressToken() == null) {
            return McpSyncResponse.result(run(def, ctx, request, ToolCall.Progress.NONE));
        }
        return McpSyncResponse.streaming(notifier -> run(def, ctx, request, notifier::progress));
    }

    private static McpSchema.CallToolOutcome run(ToolDef def, McpRequestContext ctx, McpSchema.CallToolRequest request,
                                                 ToolCall.Progress progress) {
        ToolResult r = def.handler().call(new ToolCall(CallContext.caller(ctx.transportContext()), request.arguments(),
                CallContext.apiBase(ctx.transportContext()), progress));
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
                .addContent(McpSchema.TextContent.builder(r.text()).build()).isError(r.error());
        if (r.structured() != null) {
            result.structuredContent(r.structured());
        }
        return result.build();
    }
}
