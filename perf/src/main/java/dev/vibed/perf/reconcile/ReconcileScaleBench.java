package dev.vibed.perf.reconcile;

import dev.vibed.controller.ControllerConfig;
import dev.vibed.controller.VibedController;
import dev.vibed.controller.reconcile.VibedAppReconciler;
import dev.vibed.controller.testing.Cluster;
import dev.vibed.controller.testing.OnAddOrUpdate;
import dev.vibed.controller.warmpool.WarmPoolSizing;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.reconcile.ReconcileSettings;
import dev.vibed.core.testing.UrlOnlyBlobs;
import dev.vibed.kube.blob.S3Config;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.sandbox.AgentTokens;
import dev.vibed.kube.store.KubeAppStore;
import dev.vibed.kube.testing.KubeMock;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Scale benchmark of vibed-controller against fabric8's mock API server in CRUD mode, with agent-sandbox played by
 * {@link InstantAgentSandbox} and every agent by {@link InProcessAgents}: for each app count N it starts a fresh
 * mock server and controller, creates N VibedApps at once and times until all are Ready (reconcile throughput),
 * then deploys apps one at a time beside them and times each from create to Ready (deploy latency), so the latency
 * at N apps is a ratio against the latency at the first N of the same run. Writes a markdown table and a CSV
 * (apps, metric, ms). Not a test: run it as its results file says; {@code ReconcileScaleBenchTest} runs it tiny.
 *
 * <p>Arguments: {@code --apps 1,1000[,10000]}, {@code --deploys 20}, {@code --out FILE.md} (the CSV goes beside it),
 * {@code --generation-aware true,false}: the controller's java-operator-sdk generation-aware filtering (off: status
 * changes wake a reconcile too), and {@code --api stock,indexed}: the mock API server's store (see {@link Variant}),
 * each for an A/B in one run; each size is measured twice per setting (on the way up and on the way down, see
 * {@link #run}), and the ratios are against the first size of the same setting. Default: the controller's own
 * generation-aware setting, both stores.
 */
public final class ReconcileScaleBench {
    private static final String OWNER = "bench";
    private static final String TEMPLATE = "static";
    private static final Duration ALL_READY_LIMIT = Duration.ofMinutes(10);
    private static final int WARM_DEPLOYS = 5;

    /**
     * One setting measured at every size: the controller's generation-aware filtering, and which CRUD store the mock
     * API server keeps (fabric8's stock one scans every object on each request; the indexed one finds an object by
     * name as a real API server does, see {@code NameIndexedCrudDispatcher}).
     */
    record Variant(boolean generationAware, boolean indexedApi) {
        String api() {
            return indexedApi ? "indexed" : "stock";
        }
    }

    /** What one app count measured. */
    record Result(int apps, Variant variant, long allReadyMs, List<Long> deployMs, long claimLists, long requests,
                  double apiGetMs) {
        boolean generationAware() {
            return variant.generationAware();
        }

        /** Two measurements of the same size and setting as one: every deploy of both, the means of the rest. */
        Result pool(Result other) {
            List<Long> both = new ArrayList<>(deployMs);
            both.addAll(other.deployMs);
            return new Result(apps, variant, (allReadyMs + other.allReadyMs) / 2, List.copyOf(both), claimLists + other.claimLists,
                    (requests + other.requests) / 2, (apiGetMs + other.apiGetMs) / 2);
        }

        double appsPerSecond() {
            return apps * 1000.0 / Math.max(1, allReadyMs);
        }

        long percentile(double p) {
            List<Long> sorted = deployMs.stream().sorted().toList();
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    private ReconcileScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1, 1000);
        int deploys = 20;
        Path out = Path.of("reconcile-scale.md");
        List<Boolean> generationAware = List.of(VibedAppReconciler.GENERATION_AWARE);
        List<Boolean> indexedApi = List.of(false, true);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apps" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--deploys" -> deploys = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--generation-aware" -> generationAware = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(Boolean::parseBoolean).toList();
                case "--api" -> indexedApi = Arrays.stream(args[++i].split(",")).map(String::trim).map(ReconcileScaleBench::indexed).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --apps 1,1000 --deploys 20 --out FILE.md --generation-aware true,false --api stock,indexed)");
            }
        }
        Logger.getLogger("").setLevel(Level.WARNING);
        List<Variant> variants = new ArrayList<>();
        for (boolean aware : generationAware) {
            for (boolean indexed : indexedApi) {
                variants.add(new Variant(aware, indexed));
            }
        }
        List<Result> results = run(sizes, deploys, true, variants, 2);
        write(results, deploys, out, String.join(" ", args));
        System.out.println(Files.readString(out));
    }

    private static boolean indexed(String api) {
        return switch (api) {
            case "stock" -> false;
            case "indexed" -> true;
            default -> throw new IllegalArgumentException("--api takes stock and/or indexed, not " + api);
        };
    }

    /**
     * @param warmUp first runs a small round whose numbers are dropped, so the JIT does not penalise the first size
     * @param passes 2: every size is measured on the way up and again on the way down (1, 100, 1000, 1000, 100, 1)
     *               and its two results pooled, so the smallest size, the baseline of every ratio, is not only the
     *               first one measured (a fresh JVM's first rows ran up to 1.8x slower than the same size at the end)
     */
    static List<Result> run(List<Integer> sizes, int deploys, boolean warmUp, List<Variant> variants, int passes) throws Exception {
        if (warmUp) {
            for (Variant variant : variants) {
                measure(Math.min(200, sizes.stream().mapToInt(Integer::intValue).max().orElse(1)), deploys, variant);
            }
        }
        List<Integer> order = new ArrayList<>(sizes);
        if (passes == 2) {
            order.addAll(sizes.reversed());
        } else if (passes != 1) {
            throw new IllegalArgumentException("passes is 1 or 2, not " + passes);
        }
        Map<String, Result> pooled = new LinkedHashMap<>();
        for (int n : order) {
            for (Variant variant : variants) {
                Result r = measure(n, deploys, variant);
                System.err.printf(Locale.ROOT, "%d apps, %s: all Ready in %d ms (%.1f apps/s), deploy p50 %d ms%n",
                        n, variant, r.allReadyMs(), r.appsPerSecond(), r.percentile(0.5));
                pooled.merge(n + " " + variant, r, Result::pool);
            }
        }
        return List.copyOf(pooled.values());
    }

    private static Result measure(int apps, int deploys, Variant variant) throws Exception {
        try (KubeMock kube = variant.indexedApi() ? KubeMock.startIndexed(Cluster.NS) : KubeMock.start(Cluster.NS);
             KubernetesClient controllerClient = kube.newClient();
             KubernetesClient apiClient = kube.newClient();
             KubernetesClient sandboxClient = kube.newClient();
             InstantAgentSandbox agentSandbox = new InstantAgentSandbox(sandboxClient, Cluster.NS);
             ReadyTimes ready = new ReadyTimes(kube.client())) {
            KubernetesClient admin = kube.client();
            admin.secrets().inNamespace(Cluster.NS).resource(new SecretBuilder().withNewMetadata().withName(AgentTokens.DEFAULT_SECRET)
                    .endMetadata().withStringData(Map.of(AgentTokens.KEY, "bench-token")).build()).create();
            Cluster.template(admin, TEMPLATE, "Unmanaged");
            Cluster.pool(admin, TEMPLATE);
            VibedController controller = VibedController.start(config(), controllerClient, new InProcessAgents(),
                    // The agents are in-process and never fetch a source: only its URL is handed to them.
                    new UrlOnlyBlobs(URI.create("http://127.0.0.1:9/")), variant.generationAware());
            try {
                waitFor(controller::leading, Duration.ofSeconds(30), "the controller to take its lease");
                KubeAppStore store = new KubeAppStore(apiClient, Cluster.NS);
                long claimListsBefore = kube.lists("/sandboxclaims");
                int requestsBefore = kube.requestCount();

                ExecutorService creators = Executors.newFixedThreadPool(8);
                long start = System.nanoTime();
                List<Future<?>> created = new ArrayList<>();
                for (int i = 0; i < apps; i++) {
                    String name = "base-" + i;
                    created.add(creators.submit(() -> store.create(app(name))));
                }
                for (Future<?> f : created) {
                    f.get();
                }
                creators.shutdown();
                ready.awaitCount(apps, ALL_READY_LIMIT);
                long allReadyMs = TimeUnit.NANOSECONDS.toMillis(ready.latest() - start);
                System.err.printf(Locale.ROOT, "%d apps Ready in %d ms; deploying %d more one at a time%n", apps, allReadyMs, deploys);

                // A few unmeasured deploys first, at every size: with 1 app present the measured deploys were
                // otherwise the first load this controller and its clients saw, and paid for warming them up.
                for (int i = 0; i < WARM_DEPLOYS; i++) {
                    App app = app("warm-" + i);
                    store.create(app);
                    ready.await(app.id(), Duration.ofMinutes(1));
                }
                List<Long> deployMs = new ArrayList<>();
                for (int i = 0; i < deploys; i++) {
                    App app = app("extra-" + i);
                    long t = System.nanoTime();
                    store.create(app);
                    long at = ready.await(app.id(), Duration.ofMinutes(1));
                    deployMs.add(TimeUnit.NANOSECONDS.toMillis(at - t));
                }
                long claimLists = kube.lists("/sandboxclaims") - claimListsBefore;
                long requests = kube.requestCount() - requestsBefore;
                return new Result(apps, variant, allReadyMs, deployMs, claimLists, requests, apiGetMs(admin, "extra-0"));
            } finally {
                controller.close();
            }
        }
    }

    /**
     * The API server's own cost at this size, the baseline of the deploy latency: the p50 of GETs of one VibedApp
     * (the mock server scans its whole store on every request, so this grows with the number of objects).
     */
    private static double apiGetMs(KubernetesClient client, String name) {
        String id = AppIds.appId(OWNER, name);
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t = System.nanoTime();
            client.resources(VibedApp.class).inNamespace(Cluster.NS).withName(id).get();
            nanos.add(System.nanoTime() - t);
        }
        return nanos.stream().sorted().toList().get(nanos.size() / 2) / 1e6;
    }

    private static ControllerConfig config() {
        PublicUrls urls = new PublicUrls("http", "apps.test", 0);
        return new ControllerConfig(Cluster.NS, urls, new S3Config(java.net.URI.create("http://127.0.0.1:9"), null, "us-east-1", "none", "none", "none"), AgentTokens.DEFAULT_SECRET, "cluster.local", true,
                // One replica: a lease that cannot lapse, however slow the loaded mock server answers a renewal.
                new ControllerConfig.Lease("vibed-controller", Cluster.NS, "bench", Duration.ofHours(1),
                        Duration.ofMinutes(50), Duration.ofMillis(250), false),
                ReconcileSettings.defaults(), "127.0.0.1", 0, Duration.ofMinutes(10), Duration.ofSeconds(30),
                // Sizing off: the benchmark's agent-sandbox never runs dry, and pool edits would only add noise.
                new WarmPoolSizing(1, 0, Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(5)));
    }

    /** A static app without env (no Secret), as most deployed sites are. */
    private static App app(String name) {
        String id = AppIds.appId(OWNER, name);
        String sha = "a".repeat(64);
        Instant now = Instant.now();
        AppVersion v1 = new AppVersion(1, now, new SourceRef(BlobStore.keyFor(sha), sha, 1234), "fast", TEMPLATE,
                "static-index", "", Map.of());
        AppSpec spec = new AppSpec(name, OWNER, List.of(v1), 1, now.plus(Duration.ofDays(1)), false);
        return new App(id, 1, now, spec, AppStatus.pending("http://" + id + ".apps.test/"), false);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration limit, String what) throws Exception {
        if (!dev.vibed.perf.Poll.until(limit, Duration.ofMillis(20), condition::getAsBoolean)) {
            throw new TimeoutException("waited " + limit.toSeconds() + " s for " + what);
        }
    }

    /** When each VibedApp was first seen Ready, from a watch (as a client waiting on the app would see it). */
    private static final class ReadyTimes implements AutoCloseable {
        private final Map<String, Long> readyAt = new ConcurrentHashMap<>();
        private final SharedIndexInformer<VibedApp> informer;

        ReadyTimes(KubernetesClient client) {
            informer = client.resources(VibedApp.class).inNamespace(Cluster.NS).inform(new OnAddOrUpdate<>(this::seen));
        }

        private void seen(VibedApp app) {
            if (app.getStatus() != null && "Ready".equals(app.getStatus().getPhase())) {
                long now = System.nanoTime();
                if (readyAt.putIfAbsent(app.getMetadata().getName(), now) == null) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
        }

        synchronized void awaitCount(int n, Duration limit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (readyAt.size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException(readyAt.size() + " of " + n + " apps Ready after " + limit.toSeconds() + " s");
                }
                wait(Math.min(left, 100));
            }
        }

        synchronized long await(String id, Duration limit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!readyAt.containsKey(id)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException("app " + id + " not Ready after " + limit.toSeconds() + " s");
                }
                wait(Math.min(left, 100));
            }
            return readyAt.get(id);
        }

        long latest() {
            return readyAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        }

        @Override
        public void close() {
            informer.close();
        }
    }

    static void write(List<Result> results, int deploys, Path out, String args) throws IOException {
        Result first = results.getFirst();
        StringBuilder md = new StringBuilder();
        md.append("# Reconcile scale: vibed-controller against the mock API server\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append(". Run: ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .append(".\n\n");
        md.append("| apps present | API server store | generation-aware | all Ready (ms) | reconcile throughput (apps/s) | deploy p50 (ms)"
                + " | deploy p90 (ms) | deploy max (ms) | p50 vs ").append(first.apps()).append(" app(s) | API GET p50 (ms) | GET vs ")
                .append(first.apps()).append(" app(s) | claim LISTs | API requests |\n");
        md.append("|---:|:---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder csv = new StringBuilder("apps,api,generation_aware,metric,ms\n");
        for (Result r : results) {
            Result base = baseOf(results, r);
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.1f | %d | %d | %d | %.2fx | %.2f | %.2fx | %d | %d |%n", r.apps(),
                    r.variant().api(), r.generationAware() ? "on" : "off", r.allReadyMs(), r.appsPerSecond(), r.percentile(0.5), r.percentile(0.9), r.percentile(1.0),
                    r.percentile(0.5) / (double) Math.max(1, base.percentile(0.5)), r.apiGetMs(),
                    r.apiGetMs() / Math.max(0.001, base.apiGetMs()), r.claimLists(), r.requests()));
            csv.append(r.apps()).append(',').append(r.variant().api()).append(',').append(r.generationAware()).append(",all_ready,").append(r.allReadyMs()).append('\n');
            csv.append(r.apps()).append(',').append(r.variant().api()).append(',').append(r.generationAware()).append(",deploy_p50,").append(r.percentile(0.5)).append('\n');
            csv.append(r.apps()).append(',').append(r.variant().api()).append(',').append(r.generationAware()).append(",deploy_p90,").append(r.percentile(0.9)).append('\n');
            csv.append(r.apps()).append(',').append(r.variant().api()).append(',').append(r.generationAware()).append(",deploy_max,").append(r.percentile(1.0)).append('\n');
            csv.append(r.apps()).append(',').append(r.variant().api()).append(',').append(r.generationAware()).append(",api_get_p50,").append(String.format(Locale.ROOT, "%.3f", r.apiGetMs())).append('\n');
        }
        md.append('\n');
        for (Result r : results) {
            Result base = baseOf(results, r);
            if (r == base) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "%s store, generation-aware %s: at %d apps a deploy's p50 is %.2fx its cost at %d,"
                            + " while one GET of the API server itself is %.2fx its cost; %d apps became Ready at %.1f apps/s.%n",
                    r.variant().api().substring(0, 1).toUpperCase(Locale.ROOT) + r.variant().api().substring(1),
                    r.generationAware() ? "on" : "off", r.apps(), r.percentile(0.5) / (double) Math.max(1, base.percentile(0.5)), base.apps(),
                    r.apiGetMs() / Math.max(0.001, base.apiGetMs()), r.apps(), r.appsPerSecond()));
        }
        md.append("""

                - **API server store**: stock is fabric8's mock server in CRUD mode as it ships, which copies and \
                filters its whole store on every request, so each request of a deploy costs more with every object \
                present; indexed is the same server and the same code with one change, a lookup by name that does not \
                scan (`NameIndexedCrudDispatcher`), as a real API server finds an object by its key. Lists, watches, \
                patches and status writes are the stock code in both. The indexed rows measure the controller; the \
                stock rows show what the mock adds.
                - **generation-aware**: java-operator-sdk's generation-aware filtering of VibedApp events in the \
                controller (on: only spec changes, deletions and the app's claims, pods and Services wake a reconcile; \
                off: status-only changes too).
                - **passes**: every size is measured twice, on the way up and again on the way down (1, 100, 1000, \
                1000, 100, 1), with a fresh mock server and controller each time, and the two are pooled: the deploy \
                columns are over both passes' deploys, the others are their means. So the baseline size is not only \
                the first one measured, when the JVM is at its coldest.
                - **all Ready**: N VibedApps created at once (8 creating threads, through the API's store), until the \
                last is Ready; throughput is N over that time.
                - **deploy**: then, after 5 unmeasured ones, %d more apps one at a time beside the N (per pass), each from its create to its Ready (seen \
                through a watch); the ratio is against the first row of this same run.
                - **API GET**: the p50 of 200 GETs of one VibedApp by name at the end of the row: the API server's \
                own cost at that size. With the stock store it grows with the number of objects, and every request a \
                deploy makes pays it.
                - **claim LISTs**: LISTs of SandboxClaims the mock server answered during the row (the informers list \
                once when they start, before it); the controller reads claims from its informer cache.
                - **API requests**: every request the mock server answered during the row (controller, the \
                benchmark's agent-sandbox and the app creates), watches counted once.

                What plays what: the API server is fabric8's mock server in CRUD mode (in this JVM), with either store. agent-sandbox is \
                played by the benchmark: each new claim is bound at once to a new Sandbox whose pod is created Ready, \
                with the same API writes agent-sandbox makes (Sandbox, its status, the pod, the claim's status). A \
                real agent process per app does not fit at 1,000 apps, so every agent is played in process: idle \
                until an inject, then running and listening at once, each pod told apart by its own loopback address. \
                So this measures the controller and the API traffic it causes, not app start (the deploy-to-URL \
                benchmark measures that with real agents). Blobs: only the source URL is computed; nothing is fetched. \
                The warm pool's sizing is off.

                Command (from the repository root):

                ```
                ./vibed bench reconcile %s
                ```

                CSV of the same numbers (apps, metric, ms): `%s`.
                """.formatted(deploys, args, csvName(out)));
        Files.writeString(out, md.toString());
        Files.writeString(out.resolveSibling(csvName(out)), csv.toString());
    }

    /** The first size measured with the same setting as {@code r}: what its ratios are against. */
    private static Result baseOf(List<Result> results, Result r) {
        return results.stream().filter(x -> x.variant().equals(r.variant())).findFirst().orElseThrow();
    }

    static String csvName(Path md) {
        String name = md.getFileName().toString();
        return (name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".csv";
    }
}
