package dev.vibed.api.graphql;

import dev.vibed.core.problem.Problem;
import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.ResultPath;
import graphql.language.SourceLocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place a failure becomes a GraphQL error. A {@link Problem} keeps its REST code in
 * {@code extensions.code} (and its HTTP status in {@code extensions.status}), so a script handles
 * {@code not_found} or {@code rate_limited} the same way on both APIs; anything else is logged and answered as
 * {@code internal} without internals.
 */
public final class GraphQlErrors implements DataFetcherExceptionHandler {
    private static final Logger LOG = Logger.getLogger(GraphQlErrors.class.getName());

    /** Errors that are ours but not the application layer's: the transport's own refusals. */
    public enum Code implements ErrorClassification {
        QUERY_TOO_DEEP("query_too_deep", 400), QUERY_TOO_COMPLEX("query_too_complex", 400),
        BAD_REQUEST("bad_request", 400), TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", 429),
        INTERNAL("internal", 500);

        private final String code;
        private final int status;

        Code(String code, int status) {
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public GraphQLError error(String message) {
            return GraphqlErrorBuilder.newError().message(message).errorType(this)
                    .extensions(Map.of("code", code, "status", status)).build();
        }
    }

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters params) {
        Throwable e = unwrap(params.getException());
        GraphQLError error = of(e, params.getPath(), params.getSourceLocation());
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
    }

    public static GraphQLError of(Throwable e, ResultPath path, SourceLocation location) {
        e = unwrap(e);
        GraphqlErrorBuilder<?> b = GraphqlErrorBuilder.newError();
        if (path != null) {
            b.path(path);
        }
        if (location != null) {
            b.location(location);
        }
        if (e instanceof Problem p) {
            return b.message(p.getMessage()).errorType(ProblemKind.of(p)).extensions(extensions(p)).build();
        }
        LOG.log(Level.WARNING, "a GraphQL field failed unexpectedly", e);
        return b.message("internal error; see the server log").errorType(Code.INTERNAL)
                .extensions(Map.of("code", Code.INTERNAL.code(), "status", 500)).build();
    }

    /**
     * graphql-java's own errors (syntax, validation, coercion) carry no code; give each one, so that every error a
     * client sees has {@code extensions.code}: invalid_syntax, invalid_query, or internal for a broken result.
     */
    public static List<GraphQLError> withCodes(List<GraphQLError> errors) {
        return errors.stream().map(GraphQlErrors::withCode).toList();
    }

    private static GraphQLError withCode(GraphQLError e) {
        if (e.getExtensions() != null && e.getExtensions().get("code") != null) {
            return e;
        }
        String type = e.getErrorType() == null ? "" : e.getErrorType().toString();
        String code = switch (type) {
            case "InvalidSyntax" -> "invalid_syntax";
            case "ValidationError" -> "invalid_query";
            case "OperationNotSupported" -> "invalid_query";
            case "ExecutionAborted" -> "bad_request";
            default -> e.getPath() == null ? "bad_request" : "internal";
        };
        Map<String, Object> ext = new LinkedHashMap<>(e.getExtensions() == null ? Map.of() : e.getExtensions());
        ext.put("code", code);
        ext.put("status", code.equals("internal") ? 500 : 400);
        GraphqlErrorBuilder<?> b = GraphqlErrorBuilder.newError().message(e.getMessage()).extensions(ext);
        if (e.getErrorType() != null) {
            b.errorType(e.getErrorType());
        }
        if (e.getLocations() != null) {
            b.locations(e.getLocations());
        }
        if (e.getPath() != null) {
            b.path(e.getPath());
        }
        return b.build();
    }

    /** A failure before or outside execution (auth, a stream that failed) as a list for an error response. */
    public static List<GraphQLError> list(Throwable e) {
        return List.of(of(e, null, null));
    }

    public static Map<String, Object> extensions(Problem p) {
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("code", p.code());
        ext.put("status", p.kind().httpStatus());
        if (!p.details().isEmpty()) {
            ext.put("details", p.details());
        }
        return ext;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Lets a Problem's kind show as the error's classification. */
    private record ProblemKind(String name) implements ErrorClassification {
        static ProblemKind of(Problem p) {
            return new ProblemKind(p.kind().name());
        }

        @Override
        public Object toSpecification(GraphQLError error) {
            return name;
        }
    }
}
