package dev.vibed.api.graphql.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders one page of the application layer (items plus the next cursor) as a cursor connection:
 * {@code edges {cursor node}}, {@code nodes} and {@code pageInfo}. Each edge's cursor is what the facade takes as
 * "after", so a client may resume from any row, not only the last.
 */
final class Connections {
    private Connections() {
    }

    static <T> Map<String, Object> of(List<T> items, Function<T, String> cursorOf, String nextCursor) {
        List<Map<String, Object>> edges = new ArrayList<>(items.size());
        for (T item : items) {
            edges.add(Map.of("cursor", cursorOf.apply(item), "node", item));
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", nextCursor != null);
        pageInfo.put("endCursor", items.isEmpty() ? null : cursorOf.apply(items.getLast()));
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("edges", edges);
        connection.put("nodes", items);
        connection.put("pageInfo", pageInfo);
        return connection;
    }
}
