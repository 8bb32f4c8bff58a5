package dev.vibed.standalone.sandbox;

import dev.vibed.core.files.FileTrees;
import dev.vibed.core.sandbox.ClaimRate;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Standalone {@link SandboxPool}: keeps started agents per template (at least {@code warmPerTemplate}, more after a
 * burst of claims, see {@link ClaimRate}), hands one to each new claim and starts replacements in the background. An empty pool is a miss: a sandbox is started cold for the
 * claim (the claim is Pending meanwhile). A claimed sandbox is never reused: release destroys it. A bound agent
 * that died is dropped, so the next claim binds a fresh (empty) one and the reconciler re-injects, as a restarted
 * pod would be in a cluster.
 */
public final class LocalSandboxPool implements SandboxPool, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalSandboxPool.class.getName());

    static final String PID_FILE = "agent.pid";
    /** How long a refill waits, after its claim's app has started, for that app's first answer, unless told. */
    public static final Duration DEFAULT_REFILL_GRACE = Duration.ofSeconds(1);

    private record DeferredRefill(String template, String target) {
    }

    private final LocalAgentFactory factory;
    private final Path root;
    private final Set<String> templates;
    private final Map<String, ClaimRate> demand = new ConcurrentHashMap<>();
    /** Recent time to start a sandbox (a moving average), which sizes how far ahead of demand the pool refills. */
    private volatile long startNanos = Duration.ofMillis(500).toNanos();
    private final List<java.util.function.Consumer<String>> readyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedDeque<LocalAgent>> warm = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> warming = new ConcurrentHashMap<>();
    private final Map<String, LocalAgent> bound = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<LocalAgent>> cold = new ConcurrentHashMap<>();
    /** Claims whose sandbox was started cold (a pool miss), so every read of their lease can say so. */
    private final Set<String> coldClaims = ConcurrentHashMap.newKeySet();
    /**
     * Claims bound to a warm sandbox whose replacement waits until their start is over ({@link #settled}), by
     * template: starting a sandbox (a JVM and a runtime booting) takes the CPU the claimed app's own start needs.
     */
    private final Map<String, String> refillAfterStart = new ConcurrentHashMap<>();
    /**
     * Claims whose app has started and whose replacement now waits for the app's first answer through the proxy,
     * at most the refill grace: that answer is what the user waits for, and node's first one costs it about
     * 10 ms of CPU that a sandbox booting beside it (about 450 ms of both cores here) would stretch threefold.
     */
    private final Map<String, DeferredRefill> refillAfterServed = new ConcurrentHashMap<>();
    private final Duration refillGrace;
    private final Map<String, AtomicLong> claims = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> misses = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * Sandboxes starting at once, at most: a burst of cold starts that all run together all finish late (they share
     * the CPUs), while starts taken a few at a time, first come first served, let the first deploys finish early.
     */
    private final java.util.concurrent.Semaphore starting =
            new java.util.concurrent.Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);
    private volatile boolean closed;

    public LocalSandboxPool(LocalAgentFactory factory, Path root, Set<String> templates, int warmPerTemplate) throws IOException {
        this(factory, root, templates, warmPerTemplate, warmPerTemplate);
    }

    /** @param maxWarmPerTemplate the most idle sandboxes a burst of claims may raise a template's pool to */
    public LocalSandboxPool(LocalAgentFactory factory, Path root, Set<String> templates, int warmPerTemplate,
                            int maxWarmPerTemplate) throws IOException {
        this(factory, root, templates, warmPerTemplate, maxWarmPerTemplate, Set.of(), DEFAULT_REFILL_GRACE);
    }

    /**
     * @param onDemand templates that keep no idle sandbox (a burst of claims may still warm a few): standalone's
     *                 static sites that need a build, the rare static claim the shared static host does not take
     * @param refillGrace how long the replacement of a claimed sandbox waits, once the claim's app has started, for
     *                    that app's first answer through the proxy ({@link #served})
     */
    public LocalSandboxPool(LocalAgentFactory factory, Path root, Set<String> templates, int warmPerTemplate,
                            int maxWarmPerTemplate, Set<String> onDemand, Duration refillGrace) throws IOException {
        this.factory = factory;
        this.refillGrace = refillGrace;
        this.root = Files.createDirectories(root);
        this.templates = Set.copyOf(templates);
        for (String t : templates) {
            demand.put(t, new ClaimRate(onDemand.contains(t) ? 0 : warmPerTemplate, maxWarmPerTemplate, Duration.ofSeconds(5)));
            warm.put(t, new ConcurrentLinkedDeque<>());
            warming.put(t, new AtomicInteger());
            claims.put(t, new AtomicLong());
            misses.put(t, new AtomicLong());
        }
    }

    /** Ends sandboxes left by an earlier run that did not shut down cleanly, then fills every template's pool. */
    public void start() {
        sweepOrphans();
        templates.forEach(this::replenish);
    }

    private void sweepOrphans() {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path pidFile = dir.resolve(PID_FILE);
                if (Files.exists(pidFile)) {
                    try {
                        long pid = Long.parseLong(Files.readString(pidFile).trim());
                        ProcessHandle.of(pid).filter(LocalSandboxPool::isAgent).ifPresent(p -> {
                            LOG.info("ending orphaned sandbox agent " + pid + " in " + dir.getFileName());
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                        });
                    } catch (IOException | NumberFormatException ignored) {
                        // a half-written pid file: nothing to end
                    }
                }
                SandboxNetns.endOrphan(dir);
                deleteTree(dir);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not sweep old sandboxes: " + e.getMessage());
        }
    }

    /** Only ever end a process that really is one of our agents: pids are reused. */
    private static boolean isAgent(ProcessHandle p) {
        return p.info().commandLine().map(c -> c.contains("dev.vibed.agent.AgentMain")).orElse(false);
    }

    @Override
    public boolean hasTemplate(String template) {
        return templates.contains(template);
    }

    @Override
    public ClaimResult claim(String claimKey, String template, Map<String, String> labels) {
        LocalAgent agent = bound.get(claimKey);
        if (agent != null) {
            if (agent.alive()) {
                return new ClaimResult.Bound(lease(claimKey, agent));
            }
            LOG.warning("sandbox " + agent.name() + " of claim " + claimKey + " died; binding a new one");
            bound.remove(claimKey, agent);
            destroy(agent);
        }
        if (!hasTemplate(template)) {
            return new ClaimResult.Failed("TemplateMissing", "template '" + template + "' does not exist");
        }
        CompletableFuture<LocalAgent> starting = cold.get(claimKey);
        if (starting != null) {
            return collectCold(claimKey, template, starting);
        }
        LocalAgent fresh = takeWarm(template);
        claims.get(template).incrementAndGet();
        demand.get(template).claimed(System.nanoTime());
        if (fresh != null) {
            bound.put(claimKey, fresh);
            coldClaims.remove(claimKey);
            refillAfterStart.put(claimKey, template);
            return new ClaimResult.Bound(lease(claimKey, fresh), true);
        }
        // A miss: the burst outran the pool, which refills at once, the refills waiting for a first answer too.
        refillDeferred(deferred -> deferred.template().equals(template));
        replenish(template);
        misses.get(template).incrementAndGet();
        LOG.info("pool for template " + template + " is empty; starting a sandbox cold for " + claimKey);
        CompletableFuture<LocalAgent> future = CompletableFuture.supplyAsync(() -> startAgent(template), starter);
        cold.put(claimKey, future);
        future.whenComplete((started, error) -> readyListeners.forEach(l -> l.accept(claimKey)));
        return new ClaimResult.Pending("no warm " + template + " sandbox was free; starting one (cold start)");
    }

    private ClaimResult collectCold(String claimKey, String template, CompletableFuture<LocalAgent> starting) {
        if (!starting.isDone()) {
            // A refill that finished first serves this claim now; the claim's own sandbox joins the pool when ready.
            LocalAgent early = takeWarm(template);
            if (early != null && cold.remove(claimKey, starting)) {
                starting.thenAccept(a -> {
                    if (closed) {
                        destroy(a);
                    } else {
                        warm.get(template).addLast(a);
                        wakePendingClaims();
                    }
                });
                bound.put(claimKey, early);
                coldClaims.add(claimKey);
                return new ClaimResult.Bound(lease(claimKey, early), true);
            }
            if (early != null) {
                warm.get(template).addFirst(early);
            }
            return new ClaimResult.Pending("a cold " + claimKey + " sandbox is starting");
        }
        cold.remove(claimKey);
        try {
            LocalAgent agent = starting.join();
            bound.put(claimKey, agent);
            coldClaims.add(claimKey);
            return new ClaimResult.Bound(lease(claimKey, agent), true);
        } catch (RuntimeException e) {
            return new ClaimResult.Failed("ClaimFailed", "the sandbox did not start: " + rootMessage(e));
        }
    }

    private LocalAgent takeWarm(String template) {
        LocalAgent agent;
        while ((agent = warm.get(template).pollFirst()) != null) {
            if (agent.alive()) {
                return agent;
            }
            destroy(agent);
        }
        return null;
    }

    /** A sandbox joined the pool: claims still waiting for a cold start may take it. */
    private void wakePendingClaims() {
        for (String key : cold.keySet()) {
            readyListeners.forEach(l -> l.accept(key));
        }
    }

    @Override
    public void onClaimReady(java.util.function.Consumer<String> listener) {
        readyListeners.add(listener);
    }

    @Override
    public Optional<SandboxLease> lease(String claimKey) {
        return Optional.ofNullable(bound.get(claimKey)).map(a -> lease(claimKey, a));
    }

    /** The replacement then waits for the app's first answer through the proxy ({@link #served}), at most the refill grace. */
    @Override
    public void settled(String claimKey) {
        String template = refillAfterStart.remove(claimKey);
        if (template == null) {
            return;
        }
        LocalAgent agent = bound.get(claimKey);
        if (agent == null) {
            replenish(template);
            return;
        }
        refillAfterServed.put(claimKey, new DeferredRefill(template, DirectPublisher.target(agent.appHost(), agent.appPort())));
        CompletableFuture.delayedExecutor(refillGrace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> refillFor(claimKey));
    }

    /**
     * The proxy answered a request from {@code target} (an app's host:port): an app whose first answer a refill
     * waited for has had it, so the refill starts now. Called on every proxied request, hence the quick exit.
     */
    public void served(String target) {
        if (!refillAfterServed.isEmpty()) {
            refillDeferred(deferred -> deferred.target().equals(target));
        }
    }

    /** Starts now every deferred refill that {@code which} picks. */
    private void refillDeferred(java.util.function.Predicate<DeferredRefill> which) {
        refillAfterServed.forEach((claimKey, deferred) -> {
            if (which.test(deferred)) {
                refillFor(claimKey);
            }
        });
    }

    /** Starts the refill a claim deferred, once: whichever comes first of its app's first answer, the grace, a release. */
    private void refillFor(String claimKey) {
        DeferredRefill deferred = refillAfterServed.remove(claimKey);
        if (deferred != null) {
            replenish(deferred.template());
        }
    }

    @Override
    public void release(String claimKey) {
        String unsettled = refillAfterStart.remove(claimKey);
        if (unsettled != null) {
            replenish(unsettled);
        }
        refillFor(claimKey); // a released app has no first answer to wait for
        LocalAgent agent = bound.remove(claimKey);
        coldClaims.remove(claimKey);
        if (agent != null) {
            destroy(agent);
        }
        CompletableFuture<LocalAgent> starting = cold.remove(claimKey);
        if (starting != null) {
            starting.thenAccept(this::destroy);
        }
    }

    @Override
    public Set<String> claimKeys() {
        return Set.copyOf(bound.keySet());
    }

    public PoolMetrics metrics() {
        Map<String, Integer> w = new TreeMap<>();
        Map<String, Integer> s = new TreeMap<>();
        Map<String, Long> c = new TreeMap<>();
        Map<String, Long> m = new TreeMap<>();
        for (String t : templates) {
            w.put(t, warm.get(t).size());
            s.put(t, warming.get(t).get()
                    + (int) refillAfterServed.values().stream().filter(d -> d.template().equals(t)).count());
            c.put(t, claims.get(t).get());
            m.put(t, misses.get(t).get());
        }
        return new PoolMetrics(w, s, c, m, bound.size());
    }

    private void replenish(String template) {
        if (closed) {
            return;
        }
        AtomicInteger inFlight = warming.get(template);
        while (true) {
            int current = inFlight.get();
            if (warm.get(template).size() + current >= demand.get(template).target(System.nanoTime(), Duration.ofNanos(startNanos))) {
                return;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                break;
            }
        }
        try {
            starter.execute(() -> warmOne(template, inFlight));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            inFlight.decrementAndGet();
        }
    }

    /** Starts one idle sandbox, then looks again: a burst may want more than one in flight. */
    private void warmOne(String template, AtomicInteger inFlight) {
        try {
            LocalAgent agent = startAgent(template);
            if (closed) {
                destroy(agent);
            } else {
                warm.get(template).addLast(agent);
                wakePendingClaims();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not start a warm " + template + " sandbox: " + rootMessage(e));
            return;
        } finally {
            inFlight.decrementAndGet();
        }
        replenish(template);
    }

    private LocalAgent startAgent(String template) {
        String name = template + "-" + Long.toString(System.currentTimeMillis(), 36) + "-" + sequence.incrementAndGet();
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
            starting.acquireUninterruptibly();
            LocalAgent agent;
            try {
                if (closed) {
                    // Queued behind other starts while the pool closed: starting now would outlive the pool.
                    throw new IllegalStateException("the sandbox pool is closing");
                }
                long t0 = System.nanoTime();
                agent = factory.start(name, template, dir);
                startNanos = (startNanos * 3 + (System.nanoTime() - t0)) / 4;
            } finally {
                starting.release();
            }
            Files.writeString(dir.resolve(PID_FILE), Long.toString(agent.pid()));
            return agent;
        } catch (IOException e) {
            deleteTree(dir);
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    private void destroy(LocalAgent agent) {
        try {
            agent.destroy();
        } finally {
            deleteTree(agent.dir());
        }
    }

    private SandboxLease lease(String claimKey, LocalAgent agent) {
        return new SandboxLease(claimKey, agent.name(), agent.endpoint(), agent.appHost(), agent.appPort(),
                coldClaims.contains(claimKey));
    }

    /** Ends every sandbox at once (each stop waits for its app's grace period, so one by one would add up). */
    @Override
    public void close() {
        closed = true;
        List<LocalAgent> all = new ArrayList<>(bound.values());
        bound.clear();
        warm.values().forEach(q -> {
            LocalAgent a;
            while ((a = q.pollFirst()) != null) {
                all.add(a);
            }
        });
        cold.values().forEach(f -> f.thenAccept(this::destroy));
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            all.forEach(a -> stopping.execute(() -> destroy(a)));
        }
        // Sandboxes still starting see `closed` and destroy themselves; wait for them so none outlives the pool.
        starter.shutdown();
        try {
            if (!starter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warning("sandboxes still starting after 30 s at shutdown; the next start ends them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        factory.close();
    }

    static void deleteTree(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: a sandbox dir is swept again at the next start
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
