package dev.vibed.perf;

import java.time.Duration;

/**
 * The harness's one bounded wait: checks a condition every {@code every} until it holds or {@code limit} has passed.
 * The interval is only how often to look; the condition is what is waited for.
 */
public final class Poll {
    private Poll() {
    }

    /** A condition that may do I/O (an HTTP call, a read of /proc). */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /** True as soon as {@code check} holds; false when {@code limit} ran out first. */
    public static boolean until(Duration limit, Duration every, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (check.holds()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(every);
        }
    }
}
