package dev.vibed.api.mcp;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.mcp.tools.CallContext;
import dev.vibed.api.mcp.tools.LegacyTools;
import dev.vibed.api.mcp.tools.ModernTools;
import dev.vibed.api.mcp.tools.ToolDef;
import dev.vibed.core.access.Caller;
import dev.vibed.core.deploy.FilesArchive;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.HmacRequestStateCodec;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code /mcp}: both eras of the Model Context Protocol on one URL, with one set of tools.
 * <ul>
 *   <li>Every request first passes the Origin/Host check (403/421, against DNS rebinding) and authentication
 *   (the same {@link CallerResolver} as REST; 401 with a challenge).</li>
 *   <li>A request is for the session era when it names a session, claims a session-era version in
 *   {@code MCP-Protocol-Version}, or is an {@code initialize} without a 2026 {@code _meta} claim; everything
 *   else is the stateless 2026-07-28 era. GET and DELETE exist only with a session.</li>
 * </ul>
 */
public final class McpEndpoint implements AutoCloseable {
    public static final String PATH = "/mcp";
    private static final String SERVER_NAME = "vibed";
    private static final String SERVER_VERSION = "0.1.0";
    private static final String INSTRUCTIONS = "vibeD deploys small web apps and returns a live URL. Call deploy_app "
            + "with the project's files (or create_upload for big projects); if a deploy fails, read the error's "
            + "output, fix the code and call update_app. get_logs shows an app's output.";
    private static final Set<String> SESSION_VERSIONS = Set.copyOf(SessionEra.VERSIONS);

    private final CallerResolver callers;
    private final DefaultServerTransportSecurityValidator security;
    private final SessionEra sessions;
    private final McpSyncServer sessionServer;
    private final McpServer statelessServer;
    private final StatelessEra stateless;

    public McpEndpoint(CallerResolver callers, List<ToolDef> tools, McpOptions options) {
        this.callers = callers;
        this.security = DefaultServerTransportSecurityValidator.builder()
                .allowedOrigins(options.allowedOrigins()).allowedHosts(options.allowedHosts()).build();
        this.sessions = new SessionEra(options.keepAlive(), options.sessionIdle());
        this.sessionServer = io.modelcontextprotocol.server.McpServer.sync(sessions)
                .jsonMapper(McpJson.MAPPER).jsonSchemaValidator(McpJson.SCHEMAS)
                .serverInfo(SERVER_NAME, SERVER_VERSION).instructions(INSTRUCTIONS)
                .capabilities(io.modelcontextprotocol.spec.McpSchema.ServerCapabilities.builder().tools(false).logging().build())
                // Tools run on the request's virtual thread instead of Reactor's small platform-thread pool.
                .immediateExecution(true)
                .tools(LegacyTools.of(tools))
                .build();
        this.statelessServer = McpServer.builder()
                .serverInfo(McpSchema.Implementation.builder(SERVER_NAME, SERVER_VERSION).build())
                .instructions(INSTRUCTIONS).jsonMapper(McpJson.MAPPER)
                // The tool list is the same for everyone and changes only with a release: no list_changed, no
                // subscriptions/listen, and clients may cache it.
                .feature(ToolsFeature.ofSync(new ModernTools(tools), McpJson.MAPPER, McpJson.SCHEMAS, 300_000, McpSchema.CacheScope.PUBLIC))
                .requestStateCodec(HmacRequestStateCodec.builder().key(options.stateKey()).jsonMapper(McpJson.MAPPER).build())
                .discoverCache(300_000, McpSchema.CacheScope.PUBLIC)
                .build();
        this.stateless = new StatelessEra(statelessServer, options.keepAlive());
    }

    public void register(HttpRouting.Builder routing) {
        routing.post(PATH, this::post)
                .get(PATH, this::get)
                .delete(PATH, this::delete)
                .route(Method.predicate(Method.PUT, Method.PATCH, Method.HEAD, Method.OPTIONS), io.helidon.http.PathMatchers.exact(PATH), (req, res) -> {
                    res.header(HeaderNames.ALLOW, "POST, GET, DELETE");
                    McpJson.sendError(res, 405, null, McpJson.METHOD_NOT_FOUND, "use POST (GET and DELETE with a session)");
                });
    }

    private void post(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = admit(req, res);
        if (caller == null) {
            return;
        }
        boolean json = req.headers().contentType().map(HttpMediaType::mediaType)
                .map(m -> m.type().equals("application") && m.subtype().equals("json")).orElse(false);
        if (!json) {
            McpJson.sendError(res, 415, null, McpJson.INVALID_REQUEST, "Unsupported Media Type: Content-Type must be application/json");
            return;
        }
        String body = readBody(req);
        if (body == null) {
            McpJson.sendError(res, 413, null, McpJson.INVALID_REQUEST,
                    "the request is larger than " + FilesArchive.MAX_REQUEST_BYTES + " bytes; use create_upload for big projects");
            return;
        }
        JsonRpc.JSONRPCMessage message;
        try {
            message = JsonRpc.deserializeMessage(McpJson.MAPPER, body);
        } catch (JsonRpc.InvalidMessageException e) {
            McpJson.sendError(res, 400, e.id(), McpJson.INVALID_REQUEST, "Invalid JSON-RPC message: " + e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            McpJson.sendError(res, 400, null, McpJson.PARSE_ERROR, "Parse error: the body is not a JSON-RPC message");
            return;
        }
        McpTransportContext ctx = McpTransportContext.create(CallContext.entries(caller, base(req)));
        if (sessionEra(req, message)) {
            sessions.post(req, res, body, caller, ctx);
        } else {
            stateless.post(req, res, message, ctx);
        }
    }

    private void get(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = admit(req, res);
        if (caller == null) {
            return;
        }
        if (req.headers().contains(SessionEra.SESSION_ID)) {
            sessions.get(req, res, caller);
        } else {
            notWithoutSession(res);
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = admit(req, res);
        if (caller == null) {
            return;
        }
        if (req.headers().contains(SessionEra.SESSION_ID)) {
            sessions.delete(req, res, caller);
        } else {
            notWithoutSession(res);
        }
    }

    private static void notWithoutSession(ServerResponse res) {
        res.header(HeaderNames.ALLOW, "POST");
        McpJson.sendError(res, 405, null, McpJson.METHOD_NOT_FOUND,
                "Method Not Allowed: GET and DELETE need an Mcp-Session-Id (the 2026-07-28 revision uses POST only)");
    }

    /** The Origin/Host check, then authentication; null after answering when either refuses. */
    private Caller admit(ServerRequest req, ServerResponse res) {
        try {
            security.validate(StatelessEra.headers(req));
        } catch (ServerTransportSecurityException e) {
            McpJson.sendError(res, e.getStatusCode(), null, McpJson.INVALID_REQUEST, e.getMessage());
            return null;
        }
        try {
            return callers.fromAuthorization(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        } catch (Problem p) {
            if (p.kind() == Problem.Kind.UNAUTHORIZED) {
                McpAuth.unauthorized(res, base(req), p);
            } else {
                dev.vibed.api.http.JsonResponses.problem(res, p);
            }
            return null;
        }
    }

    private static boolean sessionEra(ServerRequest req, JsonRpc.JSONRPCMessage message) {
        if (req.headers().contains(SessionEra.SESSION_ID)) {
            return true;
        }
        String version = req.headers().first(SessionEra.PROTOCOL_VERSION).orElse(null);
        if (version != null && SESSION_VERSIONS.contains(version)) {
            return true;
        }
        return message instanceof JsonRpc.JSONRPCRequest r && "initialize".equals(r.method())
                && StatelessEra.metaVersion(r.params()) == null;
    }

    private static String readBody(ServerRequest req) throws IOException {
        if (!req.content().hasEntity()) {
            return "";
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(FilesArchive.MAX_REQUEST_BYTES + 1);
            return bytes.length > FilesArchive.MAX_REQUEST_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The base URL the client reached us at, for URLs we hand back (upload URLs, the auth challenge). */
    static String base(ServerRequest req) {
        var uri = req.requestedUri();
        return uri.scheme() + "://" + uri.authority();
    }

    @Override
    public void close() {
        statelessServer.closeGracefully();
        sessionServer.closeGracefully();
        sessions.close();
    }
}
