package dev.vibed.api.graphql;

import java.time.Duration;

/**
 * The limits of the GraphQL transport itself. Per-user limits (live watches, log streams, deploy rate) are the
 * application layer's and apply here as everywhere; these only bound what one query or one socket may cost.
 *
 * @param maxDepth                 deepest selection a query may have (introspection is exempt)
 * @param maxComplexity            most fields a query may select, lists weighted by their page size
 * @param initTimeout              how long a socket may stay open without {@code connection_init} (then 4408)
 * @param maxSubscriptionsPerSocket live operations one socket may hold at once (more get a too_many_subscriptions error)
 * @param outboxHighWater          messages queued for one socket beyond which its streams stop producing
 * @param outboxMax                messages queued for one socket beyond which it is dropped as a slow consumer
 * @param stallTimeout             how long one write may block before the socket is dropped as a slow consumer
 * @param pingInterval             how often the server pings an idle socket (keeps proxies from closing it)
 */
public record GraphQlSettings(int maxDepth, int maxComplexity, Duration initTimeout, int maxSubscriptionsPerSocket,
                              int outboxHighWater, int outboxMax, Duration stallTimeout, Duration pingInterval) {

    public static GraphQlSettings defaults() {
        return new GraphQlSettings(10, 1000, Duration.ofSeconds(3), 10, 64, 1024, Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }
}
