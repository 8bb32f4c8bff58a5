package dev.vibed.kube.api;

import dev.vibed.api.VibedApi;
import dev.vibed.api.auth.Auth;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.application.VibedFactory;
import dev.vibed.core.audit.LoggingAuditLog;
import dev.vibed.core.deploy.SourceSpool;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.kube.blob.S3BlobStore;
import dev.vibed.kube.sandbox.AgentTokens;
import dev.vibed.kube.sandbox.SandboxClaimPool;
import dev.vibed.kube.store.AppEnvSecrets;
import dev.vibed.kube.store.KubeAppStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The vibed API in cluster mode, assembled: the same {@link VibedApi} routing and application services as
 * standalone, on the Kubernetes adapters. It holds no state: apps are VibedApps, sources are S3 objects, and the
 * deploy answer waits on a watch of the app. It never reconciles; the controller does.
 */
public final class ClusterApi implements AutoCloseable {
    private final KubeAppStore store;
    private final S3BlobStore blobs;
    private final Vibed vibed;
    private final WebServer server;

    private ClusterApi(ClusterApiConfig config, KubernetesClient client) throws IOException {
        // Behind an ingress the listener's address is not the public one: oidc needs --oidc-resource here.
        Auth auth = Auth.create(config.auth(), null);
        Clock clock = Clock.systemUTC();
        AppPolicy policy = AppPolicy.defaults();
        store = new KubeAppStore(client, config.namespace(), AppEnvSecrets.Access.WRITE, config.urls());
        blobs = S3BlobStore.connect(config.s3());
        SourceSpool spool = new SourceSpool(config.spoolDir(), policy.archive().maxCompressedBytes());
        spool.sweep();
        // The API reads app logs from the serving sandbox's agent, so it resolves leases too (it never claims).
        AgentTokens tokens = new AgentTokens(client, config.namespace(), config.agentTokenSecret(), Duration.ofSeconds(30), clock);
        tokens.ensureExists();
        SandboxClaimPool pool = new SandboxClaimPool(client, config.namespace(), tokens);
        HttpAgentClient agents = new HttpAgentClient(Duration.ofSeconds(5));
        vibed = VibedFactory.create(new VibedFactory.Ports(store, blobs, pool, agents,
                        new HostServingProbe(config.proxyAddress(), config.urls(), Duration.ofSeconds(2)), config.urls(),
                        new LoggingAuditLog(), spool, dev.vibed.core.deploy.DeployTimeline.none()),
                VibedFactory.Settings.defaults().withPolicy(policy).withDeployWait(config.deployWait()), clock);
        VibedApi api = new VibedApi(vibed, auth.callers(), () -> true,
                dev.vibed.api.mcp.McpOptions.publicEndpoint(java.util.List.of()));
        server = WebServer.builder().host(config.bind()).port(config.port()).routing(r -> {
            auth.routing(r);
            api.routing(r);
        }).addRouting(api.webSocketRouting()).build().start();
    }

    public static ClusterApi start(ClusterApiConfig config, KubernetesClient client) throws IOException {
        return new ClusterApi(config, client);
    }

    public int port() {
        return server.port();
    }

    public KubeAppStore store() {
        return store;
    }

    public S3BlobStore blobs() {
        return blobs;
    }

    public Vibed vibed() {
        return vibed;
    }

    @Override
    public void close() {
        server.stop();
        vibed.close();
        store.close();
    }
}
