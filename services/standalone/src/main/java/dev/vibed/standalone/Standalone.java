package dev.vibed.standalone;

import dev.vibed.api.VibedApi;
import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthMode;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.metrics.MetricsHttpService;
import dev.vibed.api.metrics.PrometheusText;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.application.VibedFactory;
import dev.vibed.core.deploy.SourceSpool;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.core.lifecycle.Collector;
import dev.vibed.core.reconcile.AppReconciler;
import dev.vibed.core.reconcile.ReconcileLoop;
import dev.vibed.core.reconcile.ReconcileSettings;
import dev.vibed.core.route.RouteSync;
import dev.vibed.standalone.audit.FileAuditLog;
import dev.vibed.standalone.blob.BlobHttpService;
import dev.vibed.standalone.blob.BlobUrlSigner;
import dev.vibed.standalone.blob.FileBlobStore;
import dev.vibed.standalone.proxy.AppProxyFilter;
import dev.vibed.standalone.proxy.ProxyRouteTable;
import dev.vibed.standalone.proxy.ProxyServingProbe;
import dev.vibed.standalone.sandbox.DirectPublisher;
import dev.vibed.standalone.sandbox.LocalAgentFactory;
import dev.vibed.standalone.sandbox.LocalSandboxPool;
import dev.vibed.standalone.sandbox.PoolMetrics;
import dev.vibed.standalone.store.FileAppStore;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The standalone process assembled: file store and blobs, local sandbox pool, reconcile loop, route sync into the
 * embedded proxy, and the HTTP API, all on one port. Tests start it exactly as {@code ./vibed up} does.
 */
public final class Standalone implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Standalone.class.getName());

    private final StandaloneConfig config;
    private final PublicUrls urls;
    private final FileAppStore store;
    private final LocalSandboxPool pool;
    private final ReconcileLoop loop;
    private final RouteSync routeSync;
    private final ScheduledExecutorService collectorTimer;
    private final Vibed vibed;
    private final WebServer server;

    /**
     * What an embedder (tests, or a process with its own auth) may replace: who callers are (null: the configured
     * auth mode), and the application's policy and quotas. {@link #defaults()} is what {@code ./vibed up} runs with.
     */
    public record Overrides(CallerResolver callers, VibedFactory.Settings settings) {
        public static Overrides defaults() {
            return new Overrides(null, VibedFactory.Settings.defaults());
        }

        public Overrides withCallers(CallerResolver value) {
            return new Overrides(value, settings);
        }

        public Overrides withSettings(VibedFactory.Settings value) {
            return new Overrides(callers, value);
        }
    }

    private Standalone(StandaloneConfig config, LocalAgentFactory agents, Overrides overrides) throws IOException {
        this.config = config;
        int port = config.port() == 0 ? freePort(config.bind()) : config.port();
        Clock clock = Clock.systemUTC();
        Path data = config.dataDir().toAbsolutePath();
        AppPolicy policy = overrides.settings().policy();
        urls = new PublicUrls("http", "localhost", port);
        URI apiBase = URI.create("http://" + hostLiteral(config.bind()) + ":" + port);
        Auth auth = Auth.create(config.auth(), apiBase);

        store = FileAppStore.open(data.resolve("apps"));
        BlobUrlSigner signer = new BlobUrlSigner();
        FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"), signer, apiBase, clock);
        SourceSpool spool = new SourceSpool(data.resolve("spool"), policy.archive().maxCompressedBytes());
        spool.sweep();
        pool = new LocalSandboxPool(agents, data.resolve("sandboxes"), config.templates(), config.warmPerTemplate());
        HttpAgentClient agentClient = new HttpAgentClient(Duration.ofSeconds(5));

        ProxyRouteTable routes = new ProxyRouteTable();
        AppReconciler reconciler = new AppReconciler(store, pool, agentClient, blobs, new DirectPublisher(), urls, clock,
                ReconcileSettings.defaults());
        loop = new ReconcileLoop(store, reconciler, 4);
        routeSync = new RouteSync(store, routes, urls);
        Collector collector = new Collector(store, blobs, clock, config.blobGrace());

        vibed = VibedFactory.create(new VibedFactory.Ports(store, blobs, pool, agentClient,
                        new ProxyServingProbe(routes, urls), urls, FileAuditLog.open(data.resolve("audit.jsonl")), spool),
                overrides.settings().withDeployWait(config.deployWait()), clock);
        VibedApi api = new VibedApi(vibed, overrides.callers() != null ? overrides.callers() : auth.callers(), () -> true);
        server = WebServer.builder()
                .host(config.bind())
                .port(port)
                .routing(r -> {
                    r.addFilter(new AppProxyFilter(routes, urls));
                    r.register("/internal/blobs", new BlobHttpService(blobs, signer, clock));
                    r.register("/", new MetricsHttpService(List.of(this::poolMetrics, this::appMetrics)));
                    auth.routing(r);
                    api.routing(r);
                })
                .addRouting(api.webSocketRouting())
                .build();

        pool.start();
        routeSync.start(10);
        loop.start(Duration.ofSeconds(30));
        collectorTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "collector");
            t.setDaemon(true);
            return t;
        });
        collectorTimer.scheduleWithFixedDelay(() -> {
            try {
                collector.collectOnce();
            } catch (RuntimeException e) {
                LOG.warning("collection failed: " + e.getMessage());
            }
        }, config.collectEvery().toMillis(), config.collectEvery().toMillis(), TimeUnit.MILLISECONDS);
        server.start();
    }

    public static Standalone start(StandaloneConfig config, LocalAgentFactory agents) throws IOException {
        return start(config, agents, Overrides.defaults());
    }

    public static Standalone start(StandaloneConfig config, LocalAgentFactory agents, Overrides overrides) throws IOException {
        if (config.auth().mode() == AuthMode.NONE && overrides.callers() == null && !isLoopback(config.bind())) {
            throw new IllegalArgumentException("auth mode none lets anyone who can reach the port act as admin, so it "
                    + "only binds loopback addresses (127.0.0.1, ::1); refusing to bind " + config.bind()
                    + ": choose --auth apikey or --auth oidc to listen on it");
        }
        return new Standalone(config, agents, overrides);
    }

    public int port() {
        return server.port();
    }

    public URI apiUri() {
        return URI.create("http://" + hostLiteral(config.bind()) + ":" + port());
    }

    public PublicUrls urls() {
        return urls;
    }

    public PoolMetrics poolMetrics() {
        return pool.metrics();
    }

    private void poolMetrics(PrometheusText text) {
        PoolMetrics m = pool.metrics();
        text.metric("vibed_pool_warm_sandboxes", "gauge", "Idle sandboxes ready to be claimed, per template", m.warm(), "template")
                .metric("vibed_pool_claims_total", "counter", "Sandbox claims served, per template", m.claims(), "template")
                .metric("vibed_pool_misses_total", "counter", "Claims that found the pool empty and started cold", m.misses(), "template")
                .metric("vibed_pool_bound_sandboxes", "gauge", "Sandboxes bound to an app version", m.bound());
    }

    private void appMetrics(PrometheusText text) {
        Map<String, Long> byPhase = new TreeMap<>();
        store.list().forEach(a -> byPhase.merge(a.status().phase().wire(), 1L, Long::sum));
        text.metric("vibed_apps", "gauge", "Apps by phase", byPhase, "phase");
    }

    public FileAppStore store() {
        return store;
    }

    /** The application layer every front end of this process uses. */
    public Vibed vibed() {
        return vibed;
    }

    @Override
    public void close() {
        server.stop();
        vibed.close();
        loop.close();
        routeSync.close();
        collectorTimer.shutdownNow();
        pool.close();
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static String hostLiteral(String bind) {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static int freePort(String bind) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
            return s.getLocalPort();
        }
    }
}
