package dev.vibed.api.graphql;

import dev.vibed.api.graphql.schema.CallerContext;
import dev.vibed.api.graphql.schema.VibedWiring;
import dev.vibed.core.access.Caller;
import dev.vibed.core.application.Vibed;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.AsyncSerialExecutionStrategy;
import graphql.execution.SubscriptionExecutionStrategy;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;

import java.util.List;
import java.util.Optional;

/**
 * The executable schema with its limits and error mapping, shared by the HTTP and WebSocket transports: they
 * hand it a caller and a request and render what comes back.
 */
public final class GraphQlEngine {
    private final GraphQL graphQL;

    public GraphQlEngine(Vibed vibed, GraphQlSettings settings) {
        GraphQlErrors errors = new GraphQlErrors();
        this.graphQL = GraphQL.newGraphQL(new VibedWiring(vibed).schema())
                .queryExecutionStrategy(new AsyncExecutionStrategy(errors))
                .mutationExecutionStrategy(new AsyncSerialExecutionStrategy(errors))
                .subscriptionExecutionStrategy(new SubscriptionExecutionStrategy(errors))
                .defaultDataFetcherExceptionHandler(errors)
                .instrumentation(QueryLimits.of(settings))
                .build();
    }

    /**
     * Runs the request as {@code caller}. For a subscription the result's data is a
     * {@code Publisher<ExecutionResult>} of its events (or null with errors, when it was refused).
     */
    public ExecutionResult execute(Caller caller, GraphQlRequest request) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables())
                .extensions(request.extensions())
                .graphQLContext(b -> CallerContext.put(b, caller))
                .build();
        ExecutionResult result = graphQL.executeAsync(input).join();
        if (result.getErrors().isEmpty()) {
            return result;
        }
        return result.transform(b -> b.errors(GraphQlErrors.withCodes(result.getErrors())));
    }

    /** Which kind of operation the request would run; empty when the document does not parse or names none. */
    public static Optional<OperationDefinition.Operation> operationOf(GraphQlRequest request) {
        Document doc;
        try {
            doc = Parser.parse(request.query());
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
        List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
        return ops.stream()
                .filter(op -> request.operationName() == null ? ops.size() == 1 : request.operationName().equals(op.getName()))
                .findFirst()
                .map(OperationDefinition::getOperation);
    }

    public graphql.schema.GraphQLSchema schema() {
        return graphQL.getGraphQLSchema();
    }
}
