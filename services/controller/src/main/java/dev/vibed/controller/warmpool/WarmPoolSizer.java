package dev.vibed.controller.warmpool;

import dev.vibed.core.sandbox.ClaimRate;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.cache.ObjectReads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Sizes each SandboxWarmPool ({@code spec.replicas}) from its recent claims, by core's {@link ClaimRate} rule (the
 * one standalone uses): the claims created on the pool within the window, as its cache holds them, times the time
 * a sandbox takes to start, over the floor, under the ceiling. Counting from the claims' creation times keeps it
 * level-triggered: a new leader sizes the pools the same as the old one did. Runs on the leader only.
 */
public final class WarmPoolSizer implements AutoCloseable {
    /** A pool's own floor, above the flag's (the chart sets it from the template's poolReplicas). */
    public static final String MIN_ANNOTATION = "vibed.dev/warm-min";
    private static final Logger LOG = Logger.getLogger(WarmPoolSizer.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final ObjectReads<SandboxClaim> claims;
    private final WarmPoolSizing sizing;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "warm-pool-sizer");
        t.setDaemon(true);
        return t;
    });

    public WarmPoolSizer(KubernetesClient client, String namespace, ObjectReads<SandboxClaim> claims,
                         WarmPoolSizing sizing, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.claims = claims;
        this.sizing = sizing;
        this.clock = clock;
    }

    /** Resizes every {@code sizing.every()} while {@code leading}. */
    public WarmPoolSizer start(BooleanSupplier leading) {
        long every = sizing.every().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            if (!leading.getAsBoolean()) {
                return;
            }
            try {
                resizeOnce();
            } catch (RuntimeException e) {
                LOG.warning("sizing the warm pools failed: " + e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: the replicas each pool should have now, written where they differ. Returns the targets. */
    public Map<String, Integer> resizeOnce() {
        Map<String, Integer> recent = recentClaimsByPool();
        Map<String, Integer> targets = new HashMap<>();
        for (SandboxWarmPool pool : client.resources(SandboxWarmPool.class).inNamespace(namespace).list().getItems()) {
            String name = pool.getMetadata().getName();
            int floor = Math.max(sizing.min(), ownFloor(pool));
            int target = ClaimRate.target(floor, sizing.max(), recent.getOrDefault(name, 0), sizing.window(), sizing.startTime());
            targets.put(name, target);
            Integer now = pool.getSpec() == null ? null : pool.getSpec().getReplicas();
            if (now == null || now != target) {
                resize(name, now, target);
            }
        }
        return targets;
    }

    private void resize(String pool, Integer from, int to) {
        try {
            client.resources(SandboxWarmPool.class).inNamespace(namespace).withName(pool).edit(p -> {
                p.getSpec().setReplicas(to);
                return p;
            });
            LOG.info("warm pool " + pool + ": " + from + " -> " + to + " replicas");
        } catch (KubernetesClientException e) {
            LOG.warning("could not resize warm pool " + pool + ": " + e.getMessage());
        }
    }

    private Map<String, Integer> recentClaimsByPool() {
        Instant since = clock.instant().minus(sizing.window());
        Map<String, Integer> counts = new HashMap<>();
        List<SandboxClaim> all = claims.withLabels(Map.of());
        for (SandboxClaim claim : all) {
            String pool = claim.getSpec() == null || claim.getSpec().getWarmPoolRef() == null ? null
                    : claim.getSpec().getWarmPoolRef().getName();
            Instant created = createdAt(claim);
            if (pool != null && created != null && !created.isBefore(since)) {
                counts.merge(pool, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Instant createdAt(SandboxClaim claim) {
        String stamp = claim.getMetadata().getCreationTimestamp();
        try {
            return stamp == null ? null : Instant.parse(stamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int ownFloor(SandboxWarmPool pool) {
        Map<String, String> annotations = pool.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(MIN_ANNOTATION);
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
