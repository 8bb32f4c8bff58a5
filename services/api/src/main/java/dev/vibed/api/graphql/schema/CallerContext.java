package dev.vibed.api.graphql.schema;

import dev.vibed.core.access.Caller;
import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

/** The caller travels with each execution in its GraphQL context; every fetcher passes it on to the facade. */
public final class CallerContext {
    private static final String KEY = Caller.class.getName();

    private CallerContext() {
    }

    public static void put(GraphQLContext.Builder context, Caller caller) {
        context.of(KEY, caller);
    }

    static Caller of(DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(KEY);
        if (caller == null) {
            throw new IllegalStateException("a GraphQL execution without a caller");
        }
        return caller;
    }
}
