package dev.vibed.standalone.proxy;

import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle keep-alive connections to apps, per target: a request takes the most recently used one (the least likely to
 * have been closed by the app) or opens a new one. Connections idle longer than {@code maxIdle} are closed, because
 * app servers close theirs too (Node after 5 s, gunicorn after 2 s) and a request sent on a connection the app is
 * closing fails.
 */
final class UpstreamPool implements AutoCloseable {
    private final Map<String, Deque<UpstreamConnection>> idle = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final long maxIdleNanos;
    private final int maxIdlePerTarget;
    private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime());

    UpstreamPool(Duration connectTimeout, Duration readTimeout, Duration maxIdle, int maxIdlePerTarget) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxIdleNanos = maxIdle.toNanos();
        this.maxIdlePerTarget = maxIdlePerTarget;
    }

    /** An idle pooled connection to {@code target}, or null when there is none. */
    UpstreamConnection pooled(String target) {
        Deque<UpstreamConnection> deque = idle.get(target);
        if (deque == null) {
            return null;
        }
        long now = System.nanoTime();
        UpstreamConnection c;
        while ((c = deque.pollFirst()) != null) {
            if (now - c.idleSinceNanos() < maxIdleNanos) {
                return c;
            }
            c.close();
        }
        return null;
    }

    UpstreamConnection open(String target) throws IOException {
        return UpstreamConnection.open(target, connectTimeout, readTimeout);
    }

    /** Puts a connection whose last exchange ended cleanly back for the next request. */
    void release(UpstreamConnection c) {
        Deque<UpstreamConnection> deque = idle.computeIfAbsent(c.target(), t -> new ConcurrentLinkedDeque<>());
        if (deque.size() >= maxIdlePerTarget) {
            c.close();
            return;
        }
        long now = System.nanoTime();
        c.markIdle(now);
        deque.offerFirst(c);
        long last = lastSweepNanos.get();
        if (now - last > maxIdleNanos && lastSweepNanos.compareAndSet(last, now)) {
            sweep(now);
        }
    }

    int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    /** Closes connections left idle (for example to an app that moved to a new sandbox); runs on a release, no timer. */
    private void sweep(long now) {
        idle.values().forEach(deque -> {
            // Twice the limit: pooled() never hands out a connection this old, so none is closed while in use.
            deque.removeIf(c -> {
                if (now - c.idleSinceNanos() >= 2 * maxIdleNanos) {
                    c.close();
                    return true;
                }
                return false;
            });
        });
    }

    @Override
    public void close() {
        idle.values().forEach(d -> d.forEach(UpstreamConnection::close));
        idle.clear();
    }
}
