package dev.vibed.api;

import dev.vibed.api.apps.AppsHttpService;
import dev.vibed.api.auth.UnauthorizedProblem;
import dev.vibed.api.dashboard.DashboardHttpService;
import dev.vibed.api.deploy.DeployHttpService;
import dev.vibed.api.deploy.UploadHttpService;
import dev.vibed.api.graphql.GraphQlEngine;
import dev.vibed.api.graphql.GraphQlSettings;
import dev.vibed.api.graphql.http.GraphQlHttpService;
import dev.vibed.api.graphql.ws.GraphQlWebSocket;
import dev.vibed.api.health.HealthHttpService;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.api.audit.AuditHttpService;
import dev.vibed.api.mcp.McpEndpoint;
import dev.vibed.api.mcp.McpOptions;
import dev.vibed.api.mcp.tools.VibedTools;
import dev.vibed.api.platform.PlatformHttpService;
import dev.vibed.api.watch.WatchHttpService;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The vibed HTTP API as routing, the same in both modes: the standalone process and the cluster's vibed server
 * build the one {@link Vibed} application layer with their own adapters and call {@link #routing}. Handlers only
 * translate between HTTP and {@link Vibed}; every rule lives behind it.
 */
public final class VibedApi implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VibedApi.class.getName());

    private final Vibed vibed;
    private final CallerResolver callers;
    private final BooleanSupplier ready;
    private final McpEndpoint mcp;
    private final GraphQlEngine graphQl;
    private final GraphQlWebSocket graphQlSocket;

    public VibedApi(Vibed vibed, CallerResolver callers, BooleanSupplier ready) {
        this(vibed, callers, ready, McpOptions.loopback());
    }

    public VibedApi(Vibed vibed, CallerResolver callers, BooleanSupplier ready, McpOptions mcpOptions) {
        this(vibed, callers, ready, mcpOptions, GraphQlSettings.defaults());
    }

    public VibedApi(Vibed vibed, CallerResolver callers, BooleanSupplier ready, GraphQlSettings graphQlSettings) {
        this(vibed, callers, ready, McpOptions.loopback(), graphQlSettings);
    }

    public VibedApi(Vibed vibed, CallerResolver callers, BooleanSupplier ready, McpOptions mcpOptions,
                    GraphQlSettings graphQlSettings) {
        this.vibed = vibed;
        this.callers = callers;
        this.ready = ready;
        List<dev.vibed.api.mcp.tools.ToolDef> tools = new ArrayList<>(new VibedTools(vibed).all());
        tools.addAll(mcpOptions.extraTools());
        this.mcp = new McpEndpoint(callers, tools, mcpOptions);
        this.graphQl = new GraphQlEngine(vibed, graphQlSettings);
        this.graphQlSocket = new GraphQlWebSocket(graphQl, callers, graphQlSettings);
    }

    /**
     * The WebSocket half of the API (GraphQL subscriptions on {@code /graphql}); add it to the server next to
     * {@link #routing}: {@code WebServer.builder().routing(api::routing).addRouting(api.webSocketRouting())}.
     */
    public WsRouting.Builder webSocketRouting() {
        return graphQlSocket.routing(WsRouting.builder());
    }

    public Vibed vibed() {
        return vibed;
    }

    public CallerResolver callers() {
        return callers;
    }

    private static Problem.Kind kindOf(int status) {
        for (Problem.Kind k : Problem.Kind.values()) {
            if (k.httpStatus() == status) {
                return k;
            }
        }
        return status >= 500 ? Problem.Kind.INTERNAL : Problem.Kind.BAD_REQUEST;
    }

    public void routing(HttpRouting.Builder routing) {
        mcp.register(routing);
        routing.register("/v1", new DeployHttpService(vibed, callers))
                .register("/v1/apps", new AppsHttpService(vibed, callers))
                .register("/v1", new AuditHttpService(vibed, callers))
                .register("/v1", new PlatformHttpService(vibed, callers))
                .register("/v1/watch", new WatchHttpService(vibed, callers))
                .register("/v1/uploads", new UploadHttpService(vibed))
                .register("/graphql", new GraphQlHttpService(graphQl, callers))
                .register("/", new HealthHttpService(ready))
                .register("/", new DashboardHttpService())
                .error(Problem.class, (req, res, p) -> {
                    if (p instanceof UnauthorizedProblem u) {
                        res.header(HeaderNames.WWW_AUTHENTICATE, u.challenge());
                    }
                    JsonResponses.problem(res, p);
                })
                // Helidon's own refusals (no such route, bad request line, ...) get the same {code, message} shape.
                .error(HttpException.class, (req, res, e) -> JsonResponses.problem(res, new Problem(kindOf(e.status().code()),
                        e.status().code() == 404 ? "not_found" : "http_" + e.status().code(),
                        e.status().code() == 404 ? "no such endpoint: " + req.prologue().method().text() + " " + req.path().path()
                                : e.getMessage())))
                .error(Exception.class, (req, res, e) -> {
                    // Unexpected: log with the stack, answer without internals.
                    LOG.log(Level.WARNING, "request " + req.prologue().method() + " " + req.path().path() + " failed", e);
                    JsonResponses.problem(res, new Problem(Problem.Kind.INTERNAL, "internal", "internal error; see the server log"));
                });
    }

    @Override
    public void close() {
        mcp.close();
        graphQlSocket.close();
    }
}
