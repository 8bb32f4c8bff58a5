package dev.vibed.api.mcp;

import dev.vibed.core.access.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The session era of MCP (revisions 2025-03-26, 2025-06-18, 2025-11-25) on Helidon, as the transport the SDK's
 * session server plugs into: {@code initialize} opens a session ({@code Mcp-Session-Id}), POSTs carry its
 * messages, GET opens its listening stream, DELETE ends it. A session belongs to the caller who opened it: anyone
 * else (or an unknown, ended or swept id) gets 404. Sessions nobody used for a while are swept, since most
 * clients never send DELETE.
 */
final class SessionEra implements McpStreamableServerTransportProvider, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionEra.class.getName());
    static final HeaderName SESSION_ID = HeaderNames.create("Mcp-Session-Id");
    static final HeaderName PROTOCOL_VERSION = HeaderNames.create("MCP-Protocol-Version");
    static final List<String> VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");

    private record Entry(McpStreamableServerSession session, String owner, long[] lastUsed) {
        void touch() {
            lastUsed[0] = System.nanoTime();
        }
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Set<ExchangeStream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final Duration idle;
    private volatile McpStreamableServerSession.Factory factory;
    private volatile boolean closing;

    SessionEra(Duration keepAlive, Duration idle) {
        this.idle = idle;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-session-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> open.removeIf(s -> !s.keepAlive()), keepAlive.toMillis(), keepAlive.toMillis(),
                TimeUnit.MILLISECONDS);
        long sweepMs = Math.max(1000, Math.min(idle.toMillis() / 2, 60_000));
        timer.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    // ---- the SDK's side --------------------------------------------------------------------------------------

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.factory = sessionFactory;
    }

    @Override
    public List<String> protocolVersions() {
        return VERSIONS;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.fromRunnable(() -> sessions.values().forEach(e -> {
            try {
                e.session().sendNotification(method, params).block();
            } catch (RuntimeException ex) {
                LOG.fine(() -> "notification to a session failed: " + ex.getMessage());
            }
        }));
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        sessions.values().forEach(e -> e.session().close());
        sessions.clear();
        open.forEach(ExchangeStream::close);
    }

    /** Session-era sessions alive now (for tests and metrics). */
    int size() {
        return sessions.size();
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    void post(ServerRequest req, ServerResponse res, String body, Caller caller, McpTransportContext ctx) throws InterruptedException {
        if (!accepts(req, "application/json") || !accepts(req, "text/event-stream")) {
            McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST,
                    "Bad Request: the Accept header must list application/json and text/event-stream");
            return;
        }
        if (!versionHeaderOk(req, res)) {
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(McpJson.MAPPER, body);
        } catch (IOException | IllegalArgumentException e) {
            McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST, "Invalid JSON-RPC message: " + e.getMessage());
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest r && "initialize".equals(r.method())) {
            initialize(res, r, caller);
            return;
        }
        Entry entry = session(req, res, caller);
        if (entry == null) {
            return;
        }
        switch (message) {
            case McpSchema.JSONRPCResponse r -> {
                entry.session().accept(r).contextWrite(c -> c.put(McpTransportContext.KEY, ctx)).block();
                res.status(202).send();
            }
            case McpSchema.JSONRPCNotification n -> {
                entry.session().accept(n).contextWrite(c -> c.put(McpTransportContext.KEY, ctx)).block();
                res.status(202).send();
            }
            case McpSchema.JSONRPCRequest r -> {
                ExchangeStream stream = new ExchangeStream(res, true);
                var exchange = entry.session().responseStream(stream);
                open.add(stream);
                try {
                    // The server runs tools on this (virtual) thread; keep-alives come from the timer meanwhile.
                    exchange.handle(r).contextWrite(c -> c.put(McpTransportContext.KEY, ctx)).block();
                } finally {
                    open.remove(stream);
                    stream.finish();
                    exchange.releaseTransport();
                    entry.touch();
                }
            }
            default -> McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST, "Unknown JSON-RPC message type");
        }
    }

    void get(ServerRequest req, ServerResponse res, Caller caller) throws InterruptedException {
        if (!accepts(req, "text/event-stream")) {
            McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST, "Bad Request: the Accept header must list text/event-stream");
            return;
        }
        if (!versionHeaderOk(req, res)) {
            return;
        }
        Entry entry = session(req, res, caller);
        if (entry == null) {
            return;
        }
        ExchangeStream stream = new ExchangeStream(res, false);
        // Register before sending the headers: a notification sent in between would otherwise be lost.
        var listening = entry.session().listeningStream(stream);
        open.add(stream);
        try {
            stream.open();
            stream.awaitClose();
        } catch (IOException e) {
            stream.close();
        } finally {
            open.remove(stream);
            listening.releaseTransport();
            entry.touch();
        }
    }

    void delete(ServerRequest req, ServerResponse res, Caller caller) {
        Entry entry = session(req, res, caller);
        if (entry == null) {
            return;
        }
        sessions.remove(req.headers().first(SESSION_ID).orElseThrow(), entry);
        entry.session().delete().block();
        res.status(200).send();
    }

    private void initialize(ServerResponse res, McpSchema.JSONRPCRequest request, Caller caller) {
        McpSchema.InitializeRequest init = McpJson.MAPPER.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {
        });
        var started = factory.startSession(init);
        McpSchema.InitializeResult result = started.initResult().block();
        String id = started.session().getId();
        Entry entry = new Entry(started.session(), caller.subject(), new long[1]);
        entry.touch();
        sessions.put(id, entry);
        res.header(SESSION_ID, id);
        McpJson.sendJson(res, 200, McpSchema.JSONRPCResponse.result(request.id(), result));
    }

    /** The caller's session named by the request, or null after answering 400 (no id) or 404 (not theirs). */
    private Entry session(ServerRequest req, ServerResponse res, Caller caller) {
        String id = req.headers().first(SESSION_ID).orElse(null);
        if (id == null || id.isBlank()) {
            McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST, "Bad Request: Mcp-Session-Id header is required");
            return null;
        }
        Entry entry = closing ? null : sessions.get(id);
        if (entry == null || !entry.owner().equals(caller.subject())) {
            McpJson.sendError(res, 404, null, McpJson.SESSION_NOT_FOUND,
                    "Session not found: it ended, expired or never existed; initialize a new one");
            return null;
        }
        entry.touch();
        return entry;
    }

    private static boolean versionHeaderOk(ServerRequest req, ServerResponse res) {
        String version = req.headers().first(PROTOCOL_VERSION).orElse(null);
        if (version != null && !VERSIONS.contains(version)) {
            McpJson.sendError(res, 400, null, McpJson.INVALID_REQUEST, "Bad Request: unsupported MCP-Protocol-Version "
                    + version + " (supported: " + String.join(", ", VERSIONS) + ", 2026-07-28 without sessions)");
            return false;
        }
        return true;
    }

    private static boolean accepts(ServerRequest req, String type) {
        return req.headers().all(HeaderNames.ACCEPT, List::of).stream().anyMatch(v -> v.contains(type) || v.contains("*/*"));
    }

    private void sweep() {
        long now = System.nanoTime();
        sessions.forEach((id, e) -> {
            if (now - e.lastUsed()[0] > idle.toNanos() && !e.session().hasOpenStream() && sessions.remove(id, e)) {
                LOG.fine(() -> "sweeping idle MCP session " + id);
                try {
                    e.session().closeGracefully().block(Duration.ofSeconds(5));
                } catch (RuntimeException ex) {
                    LOG.log(Level.FINE, "closing an idle session failed", ex);
                }
            }
        });
    }
}
