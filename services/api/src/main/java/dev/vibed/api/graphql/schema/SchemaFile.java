package dev.vibed.api.graphql.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The GraphQL contract as the server loads it: {@code schema/graphql/vibed.graphqls}, copied into the jar by the
 * build, so the file in the repository is exactly what runs (and what {@code /graphql/schema.graphqls} serves).
 */
public final class SchemaFile {
    public static final String RESOURCE = "/graphql/vibed.graphqls";

    private SchemaFile() {
    }

    public static String text() {
        try (InputStream in = SchemaFile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; the api build copies it from schema/graphql");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
