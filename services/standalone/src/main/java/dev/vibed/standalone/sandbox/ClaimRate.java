package dev.vibed.standalone.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many sandboxes a template should keep warm, from demand: the claims of the last window turned into a rate,
 * times how long a sandbox takes to start (Little's law: that many claims arrive while one replacement starts),
 * on top of the flags' floor and capped by their ceiling. A burst raises the pool for the next burst; a quiet
 * template sinks back to the floor as its claims age out of the window.
 */
final class ClaimRate {
    private final int floor;
    private final int ceiling;
    private final long windowNanos;
    private final Deque<Long> claims = new ArrayDeque<>();

    ClaimRate(int floor, int ceiling, Duration window) {
        this.floor = floor;
        this.ceiling = Math.max(floor, ceiling);
        this.windowNanos = window.toNanos();
    }

    synchronized void claimed(long nowNanos) {
        claims.addLast(nowNanos);
        expire(nowNanos);
    }

    /** The number of idle sandboxes to aim for now, given how long a sandbox currently takes to start. */
    synchronized int target(long nowNanos, Duration startTime) {
        expire(nowNanos);
        double perNano = claims.size() / (double) windowNanos;
        long extra = (long) Math.ceil(perNano * startTime.toNanos());
        return (int) Math.min(ceiling, floor + extra);
    }

    private void expire(long nowNanos) {
        while (!claims.isEmpty() && nowNanos - claims.peekFirst() > windowNanos) {
            claims.pollFirst();
        }
    }
}
