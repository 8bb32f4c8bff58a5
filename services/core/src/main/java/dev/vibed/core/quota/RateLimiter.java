package dev.vibed.core.quota;

import dev.vibed.core.problem.Problem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding one-minute window per user. A refusal is a 429 that says when the next attempt will be accepted
 * ({@code retry_after_seconds}, which REST also sends as {@code Retry-After}).
 */
public final class RateLimiter {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts one attempt by {@code subject}, or throws a 429 when the window is full (the attempt is not counted). */
    public void acquire(String subject, String what) {
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(subject, s -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.removeFirst();
            }
            if (times.size() >= perMinute) {
                long wait = Math.max(1, Duration.between(now, times.peekFirst().plus(WINDOW)).toSeconds() + 1);
                throw new Problem(Problem.Kind.TOO_MANY_REQUESTS, "rate_limited",
                        "you started " + perMinute + " " + what + " in the last minute, the most allowed; try again in "
                                + wait + " s", Map.of("retry_after_seconds", wait, "limit_per_minute", perMinute));
            }
            times.addLast(now);
        }
    }
}
