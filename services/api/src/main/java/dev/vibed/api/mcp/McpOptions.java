package dev.vibed.api.mcp;

import dev.vibed.api.mcp.tools.ToolDef;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Settings of the /mcp endpoint.
 *
 * @param allowedOrigins browser origins allowed to call (DNS-rebinding defence: any other Origin gets 403);
 *                       patterns like {@code http://localhost:*}; requests without an Origin are allowed
 * @param allowedHosts   Host header values accepted (421 otherwise); empty accepts any host (rely on auth)
 * @param stateKey       HMAC key for the 2026-07-28 request state; every replica of a deployment must share it
 * @param keepAlive      SSE comment interval: keeps proxies from cutting a stream and notices dead clients
 * @param sessionIdle    a session-era session unused this long (and with no open stream) is forgotten
 * @param extraTools     tools added to vibeD's own; only tests use this (conformance fixtures)
 */
public record McpOptions(List<String> allowedOrigins, List<String> allowedHosts, byte[] stateKey, Duration keepAlive,
                         Duration sessionIdle, List<ToolDef> extraTools) {
    /** Set this (base64, 32 bytes or more) to the same value on every replica. */
    public static final String STATE_KEY_ENV = "VIBED_MCP_STATE_KEY";

    public static McpOptions loopback() {
        return new McpOptions(List.of("http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"),
                List.of("localhost:*", "127.0.0.1:*", "[::1]:*"), stateKeyFromEnv(), Duration.ofSeconds(15),
                Duration.ofMinutes(30), List.of());
    }

    /**
     * Behind a cluster's ingress: any Host (the public name is not known here; auth guards the endpoint) and only
     * the browser origins listed, none by default, since MCP clients are programs that send no Origin.
     */
    public static McpOptions publicEndpoint(List<String> allowedOrigins) {
        return new McpOptions(List.copyOf(allowedOrigins), List.of(), stateKeyFromEnv(), Duration.ofSeconds(15),
                Duration.ofMinutes(30), List.of());
    }

    public McpOptions withExtraTools(List<ToolDef> tools) {
        return new McpOptions(allowedOrigins, allowedHosts, stateKey, keepAlive, sessionIdle, List.copyOf(tools));
    }

    public McpOptions withSessionIdle(Duration value) {
        return new McpOptions(allowedOrigins, allowedHosts, stateKey, keepAlive, value, extraTools);
    }

    private static byte[] stateKeyFromEnv() {
        String configured = System.getenv(STATE_KEY_ENV);
        if (configured != null && !configured.isBlank()) {
            return Base64.getDecoder().decode(configured.trim());
        }
        // One process (standalone) needs no shared key; a random one per start is the safe default.
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
