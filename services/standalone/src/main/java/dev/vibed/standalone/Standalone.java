package dev.vibed.standalone;

import dev.vibed.api.VibedApi;
import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthMode;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.mcp.McpOptions;
import dev.vibed.api.metrics.MetricsHttpService;
import dev.vibed.api.metrics.Meters;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.classify.Classification;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.application.VibedFactory;
import dev.vibed.core.deploy.DeployTimeline;
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
import dev.vibed.standalone.proxy.AppTunnelConfig;
import dev.vibed.standalone.proxy.ProxyRouteTable;
import dev.vibed.standalone.proxy.ProxyServingProbe;
import dev.vibed.standalone.sandbox.DirectPublisher;
import dev.vibed.standalone.sandbox.LocalAgentFactory;
import dev.vibed.standalone.sandbox.LocalSandboxPool;
import dev.vibed.standalone.sandbox.PoolMetrics;
import dev.vibed.standalone.site.SiteOrSandboxAgents;
import dev.vibed.standalone.site.SiteOrSandboxPool;
import dev.vibed.standalone.site.StaticSiteAgent;
import dev.vibed.standalone.site.StaticSiteHandler;
import dev.vibed.standalone.site.StaticSitePool;
import dev.vibed.standalone.site.StaticSites;
import dev.vibed.standalone.store.FileAppStore;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The standalone process assembled: file store and blobs, local sandbox pool and shared static host, reconcile loop, route sync into the
 * embedded proxy, and the HTTP API, all on one port. Tests start it exactly as {@code ./vibed up} does.
 */
public final class Standalone implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Standalone.class.getName());

    private final StandaloneConfig config;
    private final PublicUrls urls;
    private final FileAppStore store;
    private final LocalSandboxPool pool;
    private final StaticSites sites;
    private final ReconcileLoop loop;
    private final RouteSync routeSync;
    private final ScheduledExecutorService collectorTimer;
    private final Vibed vibed;
    private final VibedApi api;
    private final WebServer server;
    private final AppProxyFilter proxy;

    /**
     * What an embedder (tests, or a process with its own auth) may replace: who callers are (null: the configured
     * auth mode), the application's policy and quotas, and MCP's settings. {@link #defaults()} is what
     * {@code ./vibed up} runs with.
     */
    public record Overrides(CallerResolver callers, VibedFactory.Settings settings, McpOptions mcp) {
        public static Overrides defaults() {
            return new Overrides(null, VibedFactory.Settings.defaults(), McpOptions.loopback());
        }

        public Overrides withCallers(CallerResolver value) {
            return new Overrides(value, settings, mcp);
        }

        public Overrides withSettings(VibedFactory.Settings value) {
            return new Overrides(callers, value, mcp);
        }

        public Overrides withMcp(McpOptions value) {
            return new Overrides(callers, settings, value);
        }
    }

    /**
     * Every deploy's own work (inspect, store, extract, route) runs on this machine's cores, so a burst is taken in
     * arrival order, as many at once as there are cores (at least 2), unless {@code --deploy-concurrency} says
     * otherwise.
     */
    static VibedFactory.Settings standaloneSettings(VibedFactory.Settings settings, StandaloneConfig config) {
        int concurrency = settings.deployConcurrency() > 0 ? settings.deployConcurrency()
                : Math.max(2, Runtime.getRuntime().availableProcessors());
        return settings.withDeployWait(config.deployWait()).withDeployConcurrency(concurrency);
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
        // Agents download sources from a listener of their own: sandboxes may reach that port, never the API's.
        int sourcePort;
        do {
            // Neither listener is bound yet, so the pick could repeat the API's port.
            sourcePort = freePort(config.bind());
        } while (sourcePort == port);
        URI sourceBase = URI.create("http://" + hostLiteral(config.bind()) + ":" + sourcePort);
        agents.allowHostPort(sourcePort);
        int sourcesPort = sourcePort;

        store = FileAppStore.open(data.resolve("apps"));
        BlobUrlSigner signer = new BlobUrlSigner();
        FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"), signer, sourceBase, clock);
        SourceSpool spool = new SourceSpool(data.resolve("spool"), policy.archive().maxCompressedBytes());
        spool.sweep();
        pool = new LocalSandboxPool(agents, data.resolve("sandboxes"), config.templates(), config.warmPerTemplate(),
                Math.max(config.warmPerTemplate(), config.warmMax()), Set.of(Classification.STATIC), config.refillGrace());
        // Static sites run no user code: the shared static host serves them, with no sandbox per app.
        sites = new StaticSites(data.resolve("sites"), blobs, policy.archive(), clock);
        StaticSitePool sitePool = new StaticSitePool(sites);
        SiteOrSandboxPool claims = new SiteOrSandboxPool(sitePool, pool, this::servedAsSite);
        SiteOrSandboxAgents agentClient = new SiteOrSandboxAgents(new StaticSiteAgent(sites),
                new HttpAgentClient(Duration.ofSeconds(5)));

        ProxyRouteTable routes = new ProxyRouteTable();
        Meters meters = new Meters().onScrape(this::poolMetrics).onScrape(this::appMetrics);
        DeployTimeline timeline = new DeployTimeline(meters);
        AppReconciler reconciler = new AppReconciler(store, claims, agentClient, blobs, new DirectPublisher(), urls, clock,
                ReconcileSettings.defaults(), timeline);
        loop = new ReconcileLoop(store, reconciler, 64);
        claims.onClaimReady(claim -> loop.enqueue(AppIds.appIdOfClaim(claim), 0));
        routeSync = new RouteSync(store, routes, urls, timeline);
        Collector collector = new Collector(store, blobs, clock, config.blobGrace());

        vibed = VibedFactory.create(new VibedFactory.Ports(store, blobs, claims, agentClient,
                        new ProxyServingProbe(routes, urls, sites), urls, FileAuditLog.open(data.resolve("audit.jsonl")), spool,
                        timeline),
                standaloneSettings(overrides.settings(), config), clock);
        api = new VibedApi(vibed, overrides.callers() != null ? overrides.callers() : auth.callers(), () -> true,
                overrides.mcp());
        // A refill waits for the new app's first answer, which this hears (LocalSandboxPool.served).
        proxy = new AppProxyFilter(routes, urls, new StaticSiteHandler(sites), pool::served);
        server = WebServer.builder()
                .host(config.bind())
                .port(port)
                // Streams (MCP progress, SSE logs) and proxied answers send small frames that must not wait for
                // Nagle's delayed ACK.
                .connectionOptions(o -> o.tcpNoDelay(true))
                .addProtocol(new AppTunnelConfig(routes, urls))
                .routing(r -> {
                    r.addFilter(proxy);
                    r.register("/", new MetricsHttpService(meters));
                    auth.routing(r);
                    api.routing(r);
                })
                .putSocket("sources", s -> s.host(config.bind()).port(sourcesPort))
                .routing("sources", r -> r.register("/internal/blobs", new BlobHttpService(blobs, signer, clock)))
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
        // From here the agents are ours: a start that fails gives them back (their network holds a firewall table).
        try {
            if (config.auth().mode() == AuthMode.NONE && overrides.callers() == null && !isLoopback(config.bind())) {
                throw new IllegalArgumentException("auth mode none lets anyone who can reach the port act as admin, so it "
                        + "only binds loopback addresses (127.0.0.1, ::1); refusing to bind " + config.bind()
                        + ": choose --auth apikey or --auth oidc to listen on it");
            }
            return new Standalone(config, agents, overrides);
        } catch (IOException | RuntimeException e) {
            agents.close();
            throw e;
        }
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

    /**
     * A static claim the shared host takes: every static version but one whose site has to be built first (the build
     * is the user's code, so it runs in a sandbox as before).
     */
    private boolean servedAsSite(String claimKey, String template) {
        int v = claimKey.lastIndexOf("-v");
        return Classification.STATIC.equals(template) && store.get(AppIds.appIdOfClaim(claimKey))
                .flatMap(app -> app.spec().version(Integer.parseInt(claimKey.substring(v + 2))))
                .map(version -> !Classification.RULE_BUILD_REQUIRED.equals(version.rule()))
                .orElse(false);
    }

    /** The shared static host's sites (one per static app version that serves), for tests. */
    public StaticSites sites() {
        return sites;
    }

    private void poolMetrics(Meters.Readings m) {
        PoolMetrics p = pool.metrics();
        m.gauge("vibed_pool_warm_sandboxes", "Idle sandboxes ready to be claimed, per template", p.warm(), "template")
                .gauge("vibed_pool_starting_sandboxes", "Sandboxes being started to join the pool, per template",
                        p.starting(), "template")
                .counter("vibed_pool_claims_total", "Sandbox claims served, per template", p.claims(), "template")
                .counter("vibed_pool_misses_total", "Claims that found the pool empty and started cold", p.misses(), "template")
                .gauge("vibed_pool_bound_sandboxes", "Sandboxes bound to an app version", p.bound())
                .gauge("vibed_static_sites", "Static sites served by the shared static host (no sandbox each)",
                        sites.claimKeys().size());
    }

    private void appMetrics(Meters.Readings m) {
        Map<String, Long> byPhase = new TreeMap<>();
        store.list().forEach(a -> byPhase.merge(a.status().phase().wire(), 1L, Long::sum));
        m.gauge("vibed_apps", "Apps by phase", byPhase, "phase");
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
        api.close();
        vibed.close();
        proxy.close();
        loop.close();
        routeSync.close();
        collectorTimer.shutdownNow();
        pool.close();
        sites.close();
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
