package dev.vibed.controller;

import dev.vibed.controller.health.HealthRoutes;
import dev.vibed.controller.lifecycle.LeaderCollector;
import dev.vibed.controller.publish.ServicePublisher;
import dev.vibed.controller.reconcile.VibedAppReconciler;
import dev.vibed.controller.warmpool.WarmPoolSizer;
import dev.vibed.controller.watch.AppWatches;
import dev.vibed.controller.watch.CachedAppStore;
import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.lifecycle.Collector;
import dev.vibed.core.reconcile.AppReconciler;
import dev.vibed.kube.blob.S3BlobStore;
import dev.vibed.kube.cache.ClusterReads;
import dev.vibed.kube.sandbox.AgentTokens;
import dev.vibed.kube.sandbox.SandboxClaimPool;
import dev.vibed.kube.store.AppEnvSecrets;
import dev.vibed.kube.store.KubeAppStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.helidon.webserver.WebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * vibed-controller assembled: core's {@link AppReconciler} on the Kubernetes adapters (VibedApp store, S3 blobs,
 * agent-sandbox claims, per-app Services), hosted by a java-operator-sdk {@link Operator} with leader election on
 * a Lease (two replicas are safe: only the leader reconciles), plus a small Helidon server for the probes. Apps are
 * woken by their claims, pods and Services through {@link AppWatches}, and the leader sizes the warm pools.
 */
public final class VibedController implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VibedController.class.getName());

    private final KubeAppStore store;
    private final Operator operator;
    private final WebServer health;
    private final LeaderCollector collector;
    private final WarmPoolSizer sizer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();

    private VibedController(ControllerConfig config, KubernetesClient client, AgentClient agents, BlobStore blobs,
                            boolean generationAware) {
        Clock clock = Clock.systemUTC();
        String ns = config.namespace();
        store = new KubeAppStore(client, ns, AppEnvSecrets.Access.READ, config.urls());
        AgentTokens tokens = new AgentTokens(client, ns, config.agentTokenSecret(), Duration.ofSeconds(30), clock);
        // Claims, pods and Services are read from the informers that also wake the apps they belong to.
        AppWatches watches = new AppWatches(ns, config.watchRecheck());
        ClusterReads reads = watches.reads();
        AppReconciler core = new AppReconciler(new CachedAppStore(store, reads.apps()),
                new SandboxClaimPool(client, ns, tokens, clock, config.reconcile().agentGrace(), reads),
                agents, blobs,
                new ServicePublisher(client, ns, config.clusterDomain(), config.publishPodAddress(), reads),
                config.urls(), clock, config.reconcile());

        ControllerConfig.Lease lease = config.lease();
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    leading.set(true);
                    LOG.info("leading: reconciling VibedApps in " + ns);
                },
                () -> {
                    leading.set(false);
                    // JOSDK 5.2.3 would exit from inside its own stop() too (and, run from a shutdown hook, hang),
                    // so its exit is off and we exit here, only when the lease was lost rather than given up.
                    if (!closing.get() && lease.exitOnStopLeading()) {
                        LOG.severe("lost the leader lease; exiting so that only the new leader reconciles");
                        Thread.ofPlatform().start(() -> System.exit(1));
                    }
                },
                leader -> LOG.info("leader is now " + leader));
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // JSON patches instead of server-side apply for the primary resource: works on every API server
                // (and on fabric8's mock server, which rejects SSA). We only patch the finalizer, which the API added.
                .withUseSSAToPatchPrimaryResource(false)
                .withLeaderElectionConfiguration(new LeaderElectionConfiguration(lease.name(), lease.namespace(),
                        lease.duration(), lease.renewDeadline(), lease.retryPeriod(), lease.identity(), callbacks,
                        false)));
        operator.register(new VibedAppReconciler(core, watches),
                o -> o.settingNamespace(ns).withGenerationAware(generationAware));
        sizer = new WarmPoolSizer(client, ns, reads.claims(), config.warmPool(), clock);

        collector = new LeaderCollector(new Collector(store, blobs, clock, Duration.ofMinutes(10)), leading::get,
                config.collectEvery());
        health = WebServer.builder().host(config.healthBind()).port(config.healthPort())
                .routing(r -> HealthRoutes.register(r, started::get, leading::get, store)).build().start();
        operator.start();
        if (config.warmPool().enabled()) {
            sizer.start(leading::get);
        }
        started.set(true);
    }

    public static VibedController start(ControllerConfig config, KubernetesClient client) throws IOException {
        return start(config, client, new HttpAgentClient(Duration.ofSeconds(5)), S3BlobStore.connect(config.s3()));
    }

    /**
     * With the agents and the blob store given: the scale benchmark plays the agents in process and needs no S3,
     * so what it measures is the controller and the API server.
     */
    public static VibedController start(ControllerConfig config, KubernetesClient client, AgentClient agents, BlobStore blobs) {
        return start(config, client, agents, blobs, VibedAppReconciler.GENERATION_AWARE);
    }

    /**
     * @param generationAware false: status-only changes of a VibedApp wake its reconcile too (java-operator-sdk's
     *                        generation-aware filtering off); the scale benchmark measures both
     */
    public static VibedController start(ControllerConfig config, KubernetesClient client, AgentClient agents, BlobStore blobs,
                                        boolean generationAware) {
        return new VibedController(config, client, agents, blobs, generationAware);
    }

    public boolean leading() {
        return leading.get();
    }

    public int healthPort() {
        return health.port();
    }

    @Override
    public void close() {
        closing.set(true);
        started.set(false);
        collector.close();
        sizer.close();
        operator.stop();
        health.stop();
        store.close();
    }
}
