package dev.vibed.api.graphql.http;

import dev.vibed.api.graphql.GraphQlEngine;
import dev.vibed.api.graphql.GraphQlErrors;
import dev.vibed.api.graphql.GraphQlJson;
import dev.vibed.api.graphql.GraphQlRequest;
import dev.vibed.api.graphql.schema.SchemaFile;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /graphql} over HTTP, per the GraphQL over HTTP spec: POST runs any operation but a subscription (those
 * need the WebSocket on the same path), GET runs queries only. Answers are
 * {@code application/graphql-response+json} (a request error is then a 4xx) unless the client asks only for
 * {@code application/json} (always 200, the legacy way). A browser's GET opens GraphiQL; the schema file is at
 * {@code /graphql/schema.graphqls}.
 */
public final class GraphQlHttpService implements HttpService {
    static final String GRAPHQL_RESPONSE = "application/graphql-response+json";

    private final GraphQlEngine engine;
    private final CallerResolver callers;
    private final GraphiQlAssets graphiql = new GraphiQlAssets();

    public GraphQlHttpService(GraphQlEngine engine, CallerResolver callers) {
        this.engine = engine;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/schema.graphqls", this::schema)
                .get("/graphiql/{file}", (req, res) -> graphiql.asset(req.path().pathParameters().get("file"), res))
                .get("/", this::get)
                .post("/", this::post)
                .any("/", (req, res) -> {
                    res.header(HeaderNames.ALLOW, "GET, POST");
                    send(res, GRAPHQL_RESPONSE, 405, errors(Problem.Kind.METHOD_NOT_ALLOWED, "method_not_allowed",
                            "use POST (or GET for queries) on /graphql"));
                });
    }

    private void schema(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(SchemaFile.text().getBytes(StandardCharsets.UTF_8));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Optional<String> query = req.query().first("query").asOptional();
        if (query.isEmpty() && wantsHtml(req)) {
            graphiql.page(res);
            return;
        }
        String media = responseType(req);
        if (media == null) {
            notAcceptable(res);
            return;
        }
        try {
            GraphQlRequest request = GraphQlRequest.fromParams(query.orElse(null), req.query().first("operationName").orElse(null),
                    req.query().first("variables").orElse(null), req.query().first("extensions").orElse(null));
            Optional<OperationDefinition.Operation> op = GraphQlEngine.operationOf(request);
            if (op.isPresent() && op.get() != OperationDefinition.Operation.QUERY) {
                // GET must be safe: a mutation over GET could be triggered by a link or an image tag.
                res.header(HeaderNames.ALLOW, "POST");
                send(res, media, 405, errors(Problem.Kind.METHOD_NOT_ALLOWED, "method_not_allowed",
                        "only queries may use GET; send " + op.get().name().toLowerCase(Locale.ROOT) + "s with POST"));
                return;
            }
            run(req, res, media, request, op);
        } catch (Problem p) {
            send(res, media, p.kind().httpStatus(), Map.of("errors", List.of(GraphQlErrors.of(p, null, null).toSpecification())));
        }
    }

    private void post(ServerRequest req, ServerResponse res) {
        String media = responseType(req);
        if (media == null) {
            notAcceptable(res);
            return;
        }
        try {
            String type = req.headers().contentType().map(HttpMediaType::mediaType).map(m -> m.text().toLowerCase(Locale.ROOT)).orElse("");
            if (!type.equals("application/json")) {
                throw new Problem(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                        "send the request as application/json: {\"query\": \"...\", \"variables\": {...}}");
            }
            GraphQlRequest request = GraphQlRequest.fromJson(JsonResponses.body(req));
            run(req, res, media, request, GraphQlEngine.operationOf(request));
        } catch (Problem p) {
            send(res, media, p.kind().httpStatus(), Map.of("errors", List.of(GraphQlErrors.of(p, null, null).toSpecification())));
        }
    }

    private void run(ServerRequest req, ServerResponse res, String media, GraphQlRequest request,
                     Optional<OperationDefinition.Operation> op) {
        if (op.isPresent() && op.get() == OperationDefinition.Operation.SUBSCRIPTION) {
            throw Problem.badRequest("bad_request", "subscriptions run over WebSocket on /graphql (graphql-transport-ws)");
        }
        Caller caller = callers.resolve(req);
        ExecutionResult result = engine.execute(caller, request);
        Map<String, Object> body = result.toSpecification();
        // With the newer media type a result that never started executing (no data at all) is a request error.
        int status = media.equals(GRAPHQL_RESPONSE) && !result.isDataPresent() ? 400 : 200;
        send(res, media, status, body);
    }

    /** The answer's media type from the Accept header; null when the client accepts neither JSON form. */
    static String responseType(ServerRequest req) {
        List<String> accepted = req.headers().acceptedTypes().stream().map(t -> t.mediaType().text().toLowerCase(Locale.ROOT)).toList();
        if (accepted.isEmpty()) {
            return "application/json";
        }
        for (String t : accepted) {
            if (t.equals(GRAPHQL_RESPONSE) || t.equals("*/*") || t.equals("application/*")) {
                return GRAPHQL_RESPONSE;
            }
            if (t.equals("application/json")) {
                return "application/json";
            }
        }
        return null;
    }

    private static boolean wantsHtml(ServerRequest req) {
        return req.prologue().method() == Method.GET && req.headers().acceptedTypes().stream()
                .anyMatch(t -> t.mediaType().text().equalsIgnoreCase("text/html"));
    }

    private static void notAcceptable(ServerResponse res) {
        send(res, "application/json", 406, errors(Problem.Kind.BAD_REQUEST, "not_acceptable",
                "accept application/graphql-response+json or application/json"));
    }

    private static Map<String, Object> errors(Problem.Kind kind, String code, String message) {
        GraphQLError e = GraphQlErrors.of(new Problem(kind, code, message), null, null);
        return Map.of("errors", List.of(e.toSpecification()));
    }

    private static void send(ServerResponse res, String media, int status, Map<String, Object> body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, media + "; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(GraphQlJson.toJson(body).toString().getBytes(StandardCharsets.UTF_8));
    }
}
