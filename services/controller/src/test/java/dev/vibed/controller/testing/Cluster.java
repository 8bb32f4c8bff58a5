package dev.vibed.controller.testing;

import dev.vibed.api.auth.AuthSettings;
import dev.vibed.controller.ControllerConfig;
import dev.vibed.controller.VibedController;
import dev.vibed.controller.warmpool.WarmPoolSizing;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.reconcile.ReconcileSettings;
import dev.vibed.kube.agentsandbox.NameRef;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxTemplateSpec;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.agentsandbox.SandboxWarmPoolSpec;
import dev.vibed.kube.api.ClusterApi;
import dev.vibed.kube.api.ClusterApiConfig;
import dev.vibed.kube.blob.S3Config;
import dev.vibed.kube.sandbox.AgentTokens;
import dev.vibed.kube.testing.CaddyProcess;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.S3ProxyProcess;
import dev.vibed.router.RouterConfig;
import dev.vibed.router.VibedRouter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.vibed.core.app.SourceRef;
import dev.vibed.kube.store.KubeAppStore;
import java.security.MessageDigest;
import java.util.HexFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * vibeD in cluster mode on one machine: the mock API server (with our CRDs), S3Proxy, a real Caddy, agent-sandbox
 * played by {@link FakeAgentSandbox} with real agents, and vibed's three components in this JVM, each with its own
 * Kubernetes client as separate pods would have. Controllers can be stopped and started to test leader hand-over.
 */
public final class Cluster implements AutoCloseable {
    public static final String NS = "vibed-apps";
    public static final String TOKEN = "agent-control-token-for-tests";
    public static final String BUCKET = "vibed-sources";

    private final Path dir;
    private final KubeMock kube;
    private final S3ProxyProcess s3;
    private final CaddyProcess caddy;
    private final FakeAgentSandbox agentSandbox;
    private final PublicUrls urls;
    private final ClusterApi api;
    private final VibedRouter router;
    private final List<VibedController> controllers = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    public Cluster(Map<String, FakeAgentSandbox.Behavior> pools) {
        try {
            dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "cluster-");
            kube = KubeMock.start(NS);
            s3 = S3ProxyProcess.start(Files.createDirectories(dir.resolve("s3")));
            caddy = CaddyProcess.start(Files.createDirectories(dir.resolve("caddy")));
            KubernetesClient admin = kube.client();
            admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(AgentTokens.DEFAULT_SECRET)
                    .endMetadata().withStringData(Map.of(AgentTokens.KEY, TOKEN)).build()).create();
            pools.keySet().forEach(name -> templateAndPool(admin, name));
            agentSandbox = new FakeAgentSandbox(client(), NS, TOKEN, Files.createDirectories(dir.resolve("sandboxes")), pools);
            urls = new PublicUrls("http", "apps.test", caddy.httpPort());
            router = VibedRouter.start(new RouterConfig(NS, urls, caddy.adminUri(), CaddyProcess.SERVER,
                    List.of("127.0.0.1:" + caddy.httpPort()), Duration.ofSeconds(1), "127.0.0.1", 0), client());
            api = ClusterApi.start(new ClusterApiConfig("127.0.0.1", 0, NS, urls, s3Config(),
                    InetSocketAddress.createUnresolved("127.0.0.1", caddy.httpPort()), AgentTokens.DEFAULT_SECRET,
                    dir.resolve("spool"), Duration.ofSeconds(30), AuthSettings.none()), client());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a controller replica; the first to take the Lease reconciles. */
    public VibedController startController(String identity) {
        return startController(identity, Duration.ofSeconds(30));
    }

    /** @param watchRecheck the safety-net delay of apps waiting on a watched object; huge to prove nothing polls */
    public VibedController startController(String identity, Duration watchRecheck) {
        try {
            ControllerConfig config = new ControllerConfig(NS, urls, s3Config(), AgentTokens.DEFAULT_SECRET, "cluster.local",
                    true,
                    // Short lease so hand-over takes seconds; a stopped leader does not give its lease back (JOSDK 5.2.3).
                    new ControllerConfig.Lease("vibed-controller", NS, identity, Duration.ofSeconds(2),
                            Duration.ofMillis(1500), Duration.ofMillis(250), false),
                    new ReconcileSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                    "127.0.0.1", 0, Duration.ofMinutes(10), watchRecheck,
                    new WarmPoolSizing(1, 8, Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(5)));
            VibedController controller = VibedController.start(config, client());
            controllers.add(controller);
            return controller;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The replica that holds the Lease now. */
    public VibedController leader() {
        return controllers.stream().filter(VibedController::leading).findFirst()
                .orElseThrow(() -> new IllegalStateException("no controller leads"));
    }

    public void stopController(VibedController controller) {
        controller.close();
        controllers.remove(controller);
    }

    /** Stores a source archive the way a deploy does, for apps created directly in the store. */
    public SourceRef putSource(byte[] tarGz) {
        try {
            Path file = Files.write(Files.createTempFile(dir, "src-", ".tar.gz"), tarGz);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarGz));
            return api.blobs().put(file, sha, tarGz.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores {@code bytes} under the key of a different sha256: the agent's checksum check must reject it. */
    public SourceRef putCorruptSource(byte[] bytes, String claimedSha256) {
        try {
            Path file = Files.write(Files.createTempFile(dir, "bad-", ".tar.gz"), bytes);
            return api.blobs().put(file, claimedSha256, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubeAppStore store() {
        return api.store();
    }

    public S3Config s3Config() {
        return s3.config(BUCKET);
    }

    public KubernetesClient kube() {
        return kube.client();
    }

    /** The mock API server itself, for counting the requests it answered. */
    public KubeMock mock() {
        return kube;
    }

    public ClusterApi api() {
        return api;
    }

    public URI apiUri() {
        return URI.create("http://127.0.0.1:" + api.port());
    }

    public CaddyProcess caddy() {
        return caddy;
    }

    public FakeAgentSandbox agentSandbox() {
        return agentSandbox;
    }

    public PublicUrls urls() {
        return urls;
    }

    private KubernetesClient client() {
        KubernetesClient c = kube.newClient();
        clients.add(c);
        return c;
    }

    private static void templateAndPool(KubernetesClient admin, String name) {
        template(admin, name, "Unmanaged");
        pool(admin, name);
    }

    /** A SandboxTemplate as the chart makes it ({@code networkPolicyManagement} as given; null leaves agent-sandbox's default). */
    public static void template(KubernetesClient admin, String name, String networkPolicyManagement) {
        SandboxTemplate template = new SandboxTemplate();
        template.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        template.setSpec(new SandboxTemplateSpec());
        if (networkPolicyManagement != null) {
            template.getSpec().setAdditionalProperty("networkPolicyManagement", networkPolicyManagement);
        }
        admin.resources(SandboxTemplate.class).inNamespace(NS).resource(template).create();
    }

    /** A warm pool named after its template. */
    public static void pool(KubernetesClient admin, String name) {
        SandboxWarmPool pool = new SandboxWarmPool();
        pool.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        SandboxWarmPoolSpec spec = new SandboxWarmPoolSpec();
        spec.setReplicas(1);
        spec.setSandboxTemplateRef(new NameRef(name));
        pool.setSpec(spec);
        admin.resources(SandboxWarmPool.class).inNamespace(NS).resource(pool).create();
    }

    /** Stops everything, each part even if another fails to stop, so no process outlives the tests. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(controllers);
        parts.add(api);
        parts.add(router);
        parts.add(agentSandbox);
        parts.addAll(clients);
        parts.add(caddy);
        parts.add(s3);
        parts.add(kube);
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the test cluster failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        controllers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
