package dev.vibed.api.graphql.schema;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The schema's two custom scalars: instants as ISO-8601 text, and 64-bit integers (log seqs, sizes). */
public final class Scalars {
    private Scalars() {
    }

    public static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
            .coercing(new Coercing<Instant, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Instant i) {
                        return i.toString();
                    }
                    throw new CoercingSerializeException("not an instant: " + value);
                }

                @Override
                public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
                    return parse(String.valueOf(input), CoercingParseValueException::new);
                }

                @Override
                public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                    if (input instanceof StringValue s) {
                        return parse(s.getValue(), CoercingParseLiteralException::new);
                    }
                    throw new CoercingParseLiteralException("a DateTime is a string such as 2026-12-01T08:00:00Z");
                }
            }).build();

    public static final GraphQLScalarType LONG = GraphQLScalarType.newScalar().name("Long")
            .coercing(new Coercing<Long, Long>() {
                @Override
                public Long serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Number n) {
                        return n.longValue();
                    }
                    throw new CoercingSerializeException("not a number: " + value);
                }

                @Override
                public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof Integer || input instanceof Long || input instanceof Short || input instanceof Byte) {
                        return ((Number) input).longValue();
                    }
                    if (input instanceof BigInteger b && b.bitLength() < 64) {
                        return b.longValue();
                    }
                    if (input instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9.0e18) {
                        return n.longValue();
                    }
                    throw new CoercingParseValueException("a Long is a whole number: " + input);
                }

                @Override
                public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                    if (input instanceof IntValue i && i.getValue().bitLength() < 64) {
                        return i.getValue().longValue();
                    }
                    throw new CoercingParseLiteralException("a Long is a whole number");
                }
            }).build();

    private static <E extends RuntimeException> Instant parse(String text, java.util.function.Function<String, E> error) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw error.apply("not an ISO-8601 instant: " + text);
        }
    }
}
