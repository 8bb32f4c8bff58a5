package dev.vibed.standalone.sandbox;

import java.util.Map;

/**
 * Counters of the local pool, per template.
 *
 * @param warm     idle sandboxes ready to be claimed
 * @param starting sandboxes being started to join the pool (refills ahead of demand)
 * @param claims   claims served (warm or cold)
 * @param misses   claims that found the pool empty and started a sandbox cold
 */
public record PoolMetrics(Map<String, Integer> warm, Map<String, Integer> starting, Map<String, Long> claims, Map<String, Long> misses, int bound) {
}
