package dev.vibed.api.mcp;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.McpHttp;
import io.modelcontextprotocol.modern.server.McpHeaders;
import io.modelcontextprotocol.modern.server.McpRequestManager;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import io.modelcontextprotocol.modern.server.transport.McpHeaderDecoder;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stateless era of MCP (revision 2026-07-28) on Helidon: every request stands alone, carrying its protocol
 * version in {@code _meta} and mirrored in the {@code MCP-Protocol-Version}, {@code Mcp-Method} and
 * {@code Mcp-Name} headers. The SDK's modern server does the protocol; this class checks that the headers match
 * the body, hands the headers on (tools may read {@code Mcp-Param-*}), and writes the answer as JSON or, for
 * streaming answers (progress, {@code subscriptions/listen}), as SSE.
 */
final class StatelessEra {
    /** JSON-RPC error code to HTTP status, as the revision asks; anything else is a 200. */
    private static final Map<Integer, Integer> STATUS_OF = Map.of(-32700, 400, -32600, 400, -32602, 400, -32020, 400,
            -32021, 400, -32022, 400, -32601, 404);
    private static final int HEADER_MISMATCH = -32020;
    private static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";

    private final McpRequestManager server;
    private final Duration keepAlive;

    StatelessEra(McpRequestManager server, Duration keepAlive) {
        this.server = server;
        this.keepAlive = keepAlive;
    }

    void post(ServerRequest req, ServerResponse res, JsonRpc.JSONRPCMessage message, McpTransportContext ctx) {
        switch (message) {
            case JsonRpc.JSONRPCNotification n -> {
                server.handleNotification(ctx, n).block();
                res.status(Status.ACCEPTED_202).send();
            }
            case JsonRpc.JSONRPCRequest r -> request(req, res, r, ctx);
            default -> McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST,
                    "The server accepts either requests or notifications");
        }
    }

    private void request(ServerRequest req, ServerResponse res, JsonRpc.JSONRPCRequest r, McpTransportContext ctx) {
        String mismatch = headerMismatch(req, r);
        if (mismatch != null) {
            McpJson.sendError(res, 400, r.id(), HEADER_MISMATCH, mismatch);
            return;
        }
        McpTransportContext withHeaders = ctx.putAll(Map.of(McpHeaders.TRANSPORT_CONTEXT_KEY, McpHeaderDecoder.headers(headers(req))));
        boolean listen = "subscriptions/listen".equals(r.method());
        McpTransportResponse answer = (listen ? server.handle(withHeaders, r) : server.handleBlocking(withHeaders, r)).block();
        switch (answer) {
            case McpTransportResponse.Result result -> McpJson.sendJson(res, 200, result.response());
            case McpTransportResponse.Error error ->
                    McpJson.sendJson(res, STATUS_OF.getOrDefault(error.response().error().code(), 200), error.response());
            case McpTransportResponse.Streaming streaming -> stream(res, streaming.messages());
            default -> throw new IllegalStateException("unknown transport response " + answer);
        }
    }

    /** SSE until the server completes the stream; keep-alive comments in between; a failed write cancels it. */
    private void stream(ServerResponse res, Flux<JsonRpc.JSONRPCMessage> messages) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache, no-transform");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        try (OutputStream out = res.outputStream()) {
            Flux<String> events = messages.map(m -> "event: message\ndata: " + McpJson.write(m) + "\n\n");
            events.publish(shared -> shared.mergeWith(Flux.interval(keepAlive).onBackpressureDrop().map(t -> ":\n\n")
                            .takeUntilOther(shared.then())))
                    .doOnNext(frame -> {
                        try {
                            out.write(frame.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .blockLast();
        } catch (IOException | RuntimeException e) {
            // The client went away: the subscription is cancelled and the stream ends.
        }
    }

    /** The revision's rule: the method, name and version headers must repeat what the body says. */
    private static String headerMismatch(ServerRequest req, JsonRpc.JSONRPCRequest r) {
        String bodyVersion = metaVersion(r.params());
        if ("initialize".equals(r.method()) && (bodyVersion == null || bodyVersion.isBlank())) {
            return null;
        }
        String method = single(req, McpHttp.Headers.MCP_METHOD);
        if (method == null) {
            return problemWith(req, McpHttp.Headers.MCP_METHOD);
        }
        if (!method.equals(r.method())) {
            return "Mcp-Method header does not match request method";
        }
        if (bodyVersion != null) {
            String version = single(req, McpHttp.Headers.MCP_PROTOCOL_VERSION);
            if (version == null) {
                return problemWith(req, McpHttp.Headers.MCP_PROTOCOL_VERSION);
            }
            if (!version.equals(bodyVersion)) {
                return "MCP-Protocol-Version header does not match _meta protocol version";
            }
        }
        String nameKey = switch (r.method()) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            default -> null;
        };
        if (nameKey == null || !(r.params() instanceof Map<?, ?> params) || !(params.get(nameKey) instanceof String expected)) {
            return null;
        }
        String name = single(req, McpHttp.Headers.MCP_NAME);
        if (name == null) {
            return problemWith(req, McpHttp.Headers.MCP_NAME);
        }
        String decoded = McpHeaderDecoder.decodeValue(name);
        if (decoded == null) {
            return "Mcp-Name header has a malformed value";
        }
        return expected.equals(decoded) ? null : "Mcp-Name header does not match request name/uri";
    }

    private static String single(ServerRequest req, String header) {
        List<String> values = req.headers().all(HeaderNames.create(header), List::of);
        return values.size() == 1 ? values.getFirst() : null;
    }

    private static String problemWith(ServerRequest req, String header) {
        return req.headers().all(HeaderNames.create(header), List::of).isEmpty()
                ? "Missing required header: " + header : header + " header has more than one value";
    }

    static String metaVersion(Object params) {
        return params instanceof Map<?, ?> p && p.get("_meta") instanceof Map<?, ?> meta
                && meta.get(META_VERSION) instanceof String v ? v : null;
    }

    static HeaderAccessor headers(ServerRequest req) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                return req.headers().all(HeaderNames.create(name), List::of);
            }

            @Override
            public List<String> getHeaderNames() {
                return req.headers().stream().map(h -> h.name()).toList();
            }
        };
    }
}
