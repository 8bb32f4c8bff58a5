package dev.vibed.core.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many sandboxes a template should keep warm, from demand: the claims of the last window turned into a rate,
 * times how long a sandbox takes to start (Little's law: that many claims arrive while one replacement starts),
 * on top of the flags' floor and capped by their ceiling. A burst raises the pool for the next burst; a quiet
 * template sinks back to the floor as its claims age out of the window. The rule is {@link #target(int, int, int,
 * Duration, Duration)}, shared by both modes: standalone feeds it claims as they happen, the controller counts the
 * claims its cache saw created within the window.
 */
public final class ClaimRate {
    private final int floor;
    private final int ceiling;
    private final Duration window;
    private final Deque<Long> claims = new ArrayDeque<>();

    public ClaimRate(int floor, int ceiling, Duration window) {
        this.floor = floor;
        this.ceiling = Math.max(floor, ceiling);
        this.window = window;
    }

    public synchronized void claimed(long nowNanos) {
        claims.addLast(nowNanos);
        expire(nowNanos);
    }

    /** The number of idle sandboxes to aim for now, given how long a sandbox currently takes to start. */
    public synchronized int target(long nowNanos, Duration startTime) {
        expire(nowNanos);
        return target(floor, ceiling, claims.size(), window, startTime);
    }

    /**
     * The rule itself: {@code claimsInWindow} claims over {@code window} is the arrival rate; that many arrive while
     * one sandbox takes {@code startTime} to start, so as many are kept ready beyond the floor, up to the ceiling.
     */
    public static int target(int floor, int ceiling, int claimsInWindow, Duration window, Duration startTime) {
        double perNano = claimsInWindow / (double) window.toNanos();
        long extra = (long) Math.ceil(perNano * startTime.toNanos());
        return (int) Math.min(Math.max(floor, ceiling), floor + extra);
    }

    private void expire(long nowNanos) {
        while (!claims.isEmpty() && nowNanos - claims.peekFirst() > window.toNanos()) {
            claims.pollFirst();
        }
    }
}
