package dev.vibed.api.mcp.tools;

import dev.vibed.core.access.Caller;
import io.modelcontextprotocol.common.McpTransportContext;

import java.util.Map;

/**
 * How the HTTP transports hand the authenticated caller and the base URL to the tools of either era: both SDK
 * servers pass an {@link McpTransportContext} through to the tool, and these are its keys.
 */
public final class CallContext {
    private static final String CALLER = "vibed.caller";
    private static final String API_BASE = "vibed.apiBase";

    private CallContext() {
    }

    public static Map<String, Object> entries(Caller caller, String apiBase) {
        return Map.of(CALLER, caller, API_BASE, apiBase);
    }

    static Caller caller(McpTransportContext ctx) {
        if (ctx != null && ctx.get(CALLER) instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no caller in the MCP transport context: the transport must authenticate first");
    }

    static String apiBase(McpTransportContext ctx) {
        return ctx != null && ctx.get(API_BASE) instanceof String s ? s : "";
    }
}
