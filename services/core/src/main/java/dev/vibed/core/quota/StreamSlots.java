package dev.vibed.core.quota;

import dev.vibed.core.problem.Problem;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the long-lived streams (log follows, watches) each user holds, so one user cannot take every thread and
 * socket. A slot is returned by closing the handle {@link #take} gave.
 */
public final class StreamSlots {
    private final String what;
    private final int perUser;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public StreamSlots(String what, int perUser) {
        this.what = what;
        this.perUser = perUser;
    }

    /** A slot for {@code subject}, or a 429 when it already holds the most allowed. */
    public Slot take(String subject) {
        AtomicInteger n = open.computeIfAbsent(subject, s -> new AtomicInteger());
        if (n.incrementAndGet() > perUser) {
            n.decrementAndGet();
            throw new Problem(Problem.Kind.TOO_MANY_REQUESTS, "too_many_streams",
                    "you already have " + perUser + " open " + what + ", the most allowed; close one first",
                    Map.of("limit", perUser));
        }
        return new Slot(n);
    }

    public int open(String subject) {
        AtomicInteger n = open.get(subject);
        return n == null ? 0 : n.get();
    }

    /** One held slot; closing it twice returns it once. */
    public static final class Slot implements AutoCloseable {
        private final AtomicInteger counter;
        private boolean closed;

        private Slot(AtomicInteger counter) {
            this.counter = counter;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                counter.decrementAndGet();
            }
        }
    }
}
