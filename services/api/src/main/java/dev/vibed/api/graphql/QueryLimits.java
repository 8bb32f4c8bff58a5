package dev.vibed.api.graphql;

import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.ExecutionResult;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;

import java.util.List;

/**
 * Bounds what one query may cost before any field runs: its depth, and its complexity (fields selected, with
 * list fields weighted by how many rows they may return). Both refusals carry a code, like every other error.
 * Introspection (GraphiQL's schema query is deep by nature) is exempt; graphql-java's own good-faith
 * introspection check bounds it instead.
 */
public final class QueryLimits {
    private QueryLimits() {
    }

    public static Instrumentation of(GraphQlSettings settings) {
        return new ChainedInstrumentation(List.of(new Depth(settings.maxDepth()), new Complexity(settings.maxComplexity())));
    }

    /** List fields cost their page size over ten per child field (a default page of 50 costs five times). */
    static final FieldComplexityCalculator WEIGHTS = (env, childComplexity) -> {
        String name = env.getFieldDefinition().getName();
        Object first = env.getArguments().get("first");
        Object tail = env.getArguments().get("tail");
        int rows = switch (name) {
            case "apps", "audit" -> first instanceof Integer n ? n : 50;
            case "logs" -> tail instanceof Integer n ? n : 100;
            case "versions" -> 20;
            default -> 10;
        };
        return 1 + childComplexity * Math.max(1, rows / 10);
    };

    static boolean introspectionOnly(InstrumentationExecuteOperationParameters params) {
        OperationDefinition op = params.getExecutionContext().getOperationDefinition();
        List<Selection> selections = op.getSelectionSet().getSelections();
        return !selections.isEmpty() && selections.stream().allMatch(s -> s instanceof Field f && f.getName().startsWith("__"));
    }

    private static final class Depth extends MaxQueryDepthInstrumentation {
        Depth(int max) {
            super(max);
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
                                                                            InstrumentationState state) {
            return introspectionOnly(params) ? SimpleInstrumentationContext.noOp() : super.beginExecuteOperation(params, state);
        }

        @Override
        protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
            return new AbortExecutionException(List.of(GraphQlErrors.Code.QUERY_TOO_DEEP.error(
                    "the query is " + depth + " levels deep; at most " + maxDepth + " are allowed")));
        }
    }

    private static final class Complexity extends MaxQueryComplexityInstrumentation {
        Complexity(int max) {
            super(max, WEIGHTS);
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
                                                                            InstrumentationState state) {
            return introspectionOnly(params) ? SimpleInstrumentationContext.noOp() : super.beginExecuteOperation(params, state);
        }

        @Override
        protected AbortExecutionException mkAbortException(int complexity, int max) {
            return new AbortExecutionException(List.of(GraphQlErrors.Code.QUERY_TOO_COMPLEX.error(
                    "the query's complexity is " + complexity + "; at most " + max + " is allowed (ask for fewer fields or smaller pages)")));
        }
    }
}
