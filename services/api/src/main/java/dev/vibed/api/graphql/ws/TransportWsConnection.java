package dev.vibed.api.graphql.ws;

import dev.vibed.api.graphql.GraphQlEngine;
import dev.vibed.api.graphql.GraphQlErrors;
import dev.vibed.api.graphql.GraphQlJson;
import dev.vibed.api.graphql.GraphQlRequest;
import dev.vibed.api.graphql.GraphQlSettings;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.StringReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One socket speaking graphql-transport-ws (the protocol of the graphql-ws library): connection_init and ack
 * with its timeout, subscribe/next/error/complete both ways, ping/pong, and the protocol's close codes. Every
 * operation runs on a virtual thread of its own and every message leaves through the socket's {@link Outbox},
 * so the reading thread only parses and dispatches and a slow reader holds up nobody else.
 */
final class TransportWsConnection implements WsListener {
    static final String SUBPROTOCOL = "graphql-transport-ws";
    private static final Logger LOG = Logger.getLogger(TransportWsConnection.class.getName());

    private final GraphQlEngine engine;
    private final CallerResolver callers;
    private final GraphQlSettings settings;
    private final ScheduledExecutorService timers;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    private volatile Outbox outbox;
    private volatile boolean subprotocolAgreed;
    private volatile Caller upgradeCaller;
    private volatile Caller caller;
    private volatile boolean initReceived;
    private volatile boolean acknowledged;
    private volatile boolean ended;
    private ScheduledFuture<?> initTimer;
    private ScheduledFuture<?> watchdog;

    TransportWsConnection(GraphQlEngine engine, CallerResolver callers, GraphQlSettings settings, ScheduledExecutorService timers) {
        this.engine = engine;
        this.callers = callers;
        this.settings = settings;
        this.timers = timers;
    }

    // ---- handshake ---------------------------------------------------------------------------------------------

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        checkSameOrigin(headers);
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            try {
                upgradeCaller = callers.fromAuthorization(authorization.get());
            } catch (Problem p) {
                throw new WsUpgradeException("the upgrade request's credentials were refused: " + p.getMessage());
            }
        }
        subprotocolAgreed = headers.all(HeaderNames.create("Sec-WebSocket-Protocol"), List::of).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim)
                .anyMatch(SUBPROTOCOL::equals);
        if (!subprotocolAgreed) {
            return Optional.empty();
        }
        WritableHeaders<?> answer = WritableHeaders.create();
        answer.set(HeaderNames.create("Sec-WebSocket-Protocol"), SUBPROTOCOL);
        return Optional.of(answer);
    }

    /**
     * WebSockets are not covered by CORS, so a page on another site could otherwise open this socket with the
     * browser's credentials. A browser always sends Origin; non-browser clients send none and are let in.
     */
    private static void checkSameOrigin(Headers headers) throws WsUpgradeException {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            return;
        }
        String host = headers.first(HeaderNames.HOST).orElse("");
        try {
            URI o = URI.create(origin.get());
            String originHost = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
            if (o.getHost() != null && (originHost.equalsIgnoreCase(host)
                    || (o.getPort() == -1 && host.equalsIgnoreCase(o.getHost() + ":" + ("https".equals(o.getScheme()) ? 443 : 80))))) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // fall through: an unreadable Origin is refused
        }
        throw new WsUpgradeException("cross-origin WebSocket refused: " + origin.get());
    }

    @Override
    public void onOpen(WsSession session) {
        outbox = new Outbox(session, settings.outboxHighWater(), settings.outboxMax(), settings.stallTimeout(), this::end);
        if (!subprotocolAgreed) {
            outbox.close(CloseCodes.SUBPROTOCOL_NOT_ACCEPTABLE, "Subprotocol not acceptable");
            return;
        }
        initTimer = timers.schedule(() -> {
            if (!initReceived) {
                outbox.close(CloseCodes.INIT_TIMEOUT, "Connection initialisation timeout");
            }
        }, settings.initTimeout().toMillis(), TimeUnit.MILLISECONDS);
        long tick = Math.max(100, Math.min(settings.stallTimeout().toMillis() / 4, 1000));
        long[] sincePing = {0};
        watchdog = timers.scheduleWithFixedDelay(() -> {
            // A periodic task that throws is never run again; this one must outlive any surprise.
            try {
                outbox.checkStall(System.nanoTime());
                sincePing[0] += tick;
                if (sincePing[0] >= settings.pingInterval().toMillis()) {
                    sincePing[0] = 0;
                    outbox.send("{\"type\":\"ping\"}");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "GraphQL WebSocket watchdog failed", e);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: binary frames are not part of the protocol");
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (ended) {
            return;
        }
        JsonObject message;
        try {
            JsonValue v = Json.createReader(new StringReader(text)).readValue();
            if (!(v instanceof JsonObject o)) {
                throw new IllegalArgumentException("a message is a JSON object");
            }
            message = o;
        } catch (RuntimeException e) {
            outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: not a JSON object");
            return;
        }
        String type = string(message, "type");
        if (type == null) {
            outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: no type");
            return;
        }
        switch (type) {
            case "connection_init" -> init(message);
            case "ping" -> outbox.send(withPayload("pong", message.get("payload")));
            case "pong" -> {
            }
            case "subscribe" -> subscribe(message);
            case "complete" -> clientComplete(message);
            default -> outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: unknown type " + abbreviate(type));
        }
    }

    private void init(JsonObject message) {
        JsonValue payload = message.get("payload");
        if (payload != null && payload.getValueType() != JsonValue.ValueType.OBJECT && payload.getValueType() != JsonValue.ValueType.NULL) {
            outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: connection_init payload must be an object");
            return;
        }
        if (initReceived) {
            outbox.close(CloseCodes.TOO_MANY_INITS, "Too many initialisation requests");
            return;
        }
        initReceived = true;
        if (initTimer != null) {
            initTimer.cancel(false);
        }
        try {
            caller = authenticate(payload instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT);
        } catch (Problem p) {
            outbox.close(CloseCodes.FORBIDDEN, "Forbidden");
            return;
        }
        acknowledged = true;
        outbox.send("{\"type\":\"connection_ack\"}");
    }

    /** The payload's credential if it brings one (browsers cannot set headers on a WebSocket), else the upgrade's. */
    private Caller authenticate(JsonObject payload) {
        String authorization = string(payload, "Authorization");
        if (authorization == null) {
            authorization = string(payload, "authorization");
        }
        if (authorization == null && string(payload, "token") != null) {
            authorization = "Bearer " + string(payload, "token");
        }
        if (authorization != null) {
            return callers.fromAuthorization(authorization.contains(" ") ? authorization : "Bearer " + authorization);
        }
        return upgradeCaller != null ? upgradeCaller : callers.fromAuthorization(null);
    }

    private void subscribe(JsonObject message) {
        String id = string(message, "id");
        JsonValue payload = message.get("payload");
        if (id == null || id.isEmpty() || !(payload instanceof JsonObject p)) {
            outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: subscribe needs an id and a payload object");
            return;
        }
        if (!acknowledged) {
            outbox.close(CloseCodes.UNAUTHORIZED, "Unauthorized");
            return;
        }
        GraphQlRequest request;
        try {
            request = GraphQlRequest.fromJson(p);
        } catch (Problem e) {
            outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: " + e.getMessage());
            return;
        }
        Operation op = new Operation(id);
        if (operations.putIfAbsent(id, op) != null) {
            outbox.close(CloseCodes.DUPLICATE_ID, "Subscriber for " + abbreviate(id) + " already exists");
            return;
        }
        if (operations.size() > settings.maxSubscriptionsPerSocket()) {
            operations.remove(id, op);
            sendError(id, List.of(GraphQlErrors.Code.TOO_MANY_SUBSCRIPTIONS.error("this socket already runs "
                    + settings.maxSubscriptionsPerSocket() + " operations, the most allowed; complete one first")));
            return;
        }
        Caller who = caller;
        Thread.ofVirtual().name("graphql-ws-op").start(() -> op.run(who, request));
    }

    private void clientComplete(JsonObject message) {
        String id = string(message, "id");
        if (id == null || id.isEmpty()) {
            outbox.close(CloseCodes.BAD_REQUEST, "Invalid message received: complete needs an id");
            return;
        }
        Operation op = operations.remove(id);
        if (op != null) {
            op.cancel();
        }
    }

    // ---- the end -----------------------------------------------------------------------------------------------

    @Override
    public void onClose(WsSession session, int status, String reason) {
        end();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.FINE, "GraphQL WebSocket error", t);
        end();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (initTimer != null) {
            initTimer.cancel(false);
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        operations.values().forEach(Operation::cancel);
        operations.clear();
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    private void sendNext(String id, ExecutionResult result) {
        outbox.send(Json.createObjectBuilder().add("id", id).add("type", "next")
                .add("payload", GraphQlJson.toJson(result.toSpecification())).build().toString());
    }

    private void sendError(String id, List<GraphQLError> errors) {
        outbox.send(Json.createObjectBuilder().add("id", id).add("type", "error")
                .add("payload", GraphQlJson.toJson(errors.stream().map(GraphQLError::toSpecification).toList())).build().toString());
    }

    private void sendComplete(String id) {
        outbox.send(Json.createObjectBuilder().add("id", id).add("type", "complete").build().toString());
    }

    private static String withPayload(String type, JsonValue payload) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("type", type);
        if (payload != null && payload.getValueType() == JsonValue.ValueType.OBJECT) {
            b.add("payload", payload);
        }
        return b.build().toString();
    }

    private static String string(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : null;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** One subscribe: a query or mutation answers once; a subscription streams until either side completes it. */
    private final class Operation implements Subscriber<ExecutionResult> {
        private final String id;
        private volatile Subscription upstream;
        private volatile boolean cancelled;

        Operation(String id) {
            this.id = id;
        }

        void run(Caller who, GraphQlRequest request) {
            ExecutionResult result;
            try {
                result = engine.execute(who, request);
            } catch (RuntimeException e) {
                finishWithError(GraphQlErrors.list(e));
                return;
            }
            if (result.getData() instanceof Publisher<?> events) {
                @SuppressWarnings("unchecked")
                Publisher<ExecutionResult> stream = (Publisher<ExecutionResult>) events;
                stream.subscribe(this);
                return;
            }
            boolean subscription = GraphQlEngine.operationOf(request).orElse(null) == OperationDefinition.Operation.SUBSCRIPTION;
            if (!result.isDataPresent() || (subscription && !result.getErrors().isEmpty())) {
                // Refused before anything ran (bad query, limits) or a subscription the facade refused
                // (not_found, too_many_streams): an error message, which ends the operation.
                finishWithError(result.getErrors());
                return;
            }
            // A query or mutation: its one result, errors and all (as over HTTP), then complete.
            if (!cancelled) {
                sendNext(id, result);
                finish();
            }
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            if (cancelled) {
                s.cancel();
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(ExecutionResult event) {
            if (cancelled) {
                return;
            }
            if (!outbox.send(toSendable(event))) {
                cancel();
                return;
            }
            outbox.whenWritable(() -> {
                Subscription s = upstream;
                if (s != null && !cancelled) {
                    s.request(1);
                }
            });
        }

        private String toSendable(ExecutionResult event) {
            return Json.createObjectBuilder().add("id", id).add("type", "next")
                    .add("payload", GraphQlJson.toJson(event.toSpecification())).build().toString();
        }

        @Override
        public void onError(Throwable t) {
            finishWithError(GraphQlErrors.list(t));
        }

        @Override
        public void onComplete() {
            finish();
        }

        void cancel() {
            cancelled = true;
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
        }

        private void finish() {
            if (operations.remove(id, this) && !cancelled) {
                sendComplete(id);
            }
        }

        private void finishWithError(List<GraphQLError> errors) {
            if (operations.remove(id, this) && !cancelled) {
                sendError(id, errors);
            }
        }
    }
}
