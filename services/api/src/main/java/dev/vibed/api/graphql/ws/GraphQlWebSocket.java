package dev.vibed.api.graphql.ws;

import dev.vibed.api.graphql.GraphQlEngine;
import dev.vibed.api.graphql.GraphQlSettings;
import dev.vibed.api.http.CallerResolver;
import io.helidon.webserver.websocket.WsRouting;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The graphql-transport-ws endpoint on {@code /graphql}: Helidon hands each upgraded socket a fresh
 * {@link TransportWsConnection}; the timers (init timeout, pings, stall checks) share one small scheduler.
 */
public final class GraphQlWebSocket implements AutoCloseable {
    public static final String PATH = "/graphql";

    private final GraphQlEngine engine;
    private final CallerResolver callers;
    private final GraphQlSettings settings;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "graphql-ws-timers");
        t.setDaemon(true);
        return t;
    });

    public GraphQlWebSocket(GraphQlEngine engine, CallerResolver callers, GraphQlSettings settings) {
        this.engine = engine;
        this.callers = callers;
        this.settings = settings;
    }

    public WsRouting.Builder routing(WsRouting.Builder ws) {
        return ws.endpoint(PATH, () -> new TransportWsConnection(engine, callers, settings, timers));
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
