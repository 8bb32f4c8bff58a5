package dev.vibed.controller.warmpool;

import java.time.Duration;

/**
 * Limits of the warm pools' sizing (flags {@code --warm-min}, {@code --warm-max}, {@code --warm-window},
 * {@code --warm-start-time}, {@code --warm-every}).
 *
 * @param min       the floor of every pool; a pool's {@value WarmPoolSizer#MIN_ANNOTATION} annotation (the chart's
 *                  per-template size) raises it for that pool
 * @param max       the ceiling; 0 turns sizing off and leaves the pools as the chart made them
 * @param window    how far back claims count towards the rate
 * @param startTime how long a sandbox of the pool takes to become ready (scheduling, image, agent start)
 * @param every     how often the pools are resized
 */
public record WarmPoolSizing(int min, int max, Duration window, Duration startTime, Duration every) {

    public static WarmPoolSizing defaults() {
        return new WarmPoolSizing(1, 8, Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    public boolean enabled() {
        return max > 0;
    }
}
