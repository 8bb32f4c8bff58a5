package dev.vibed.perf.reconcile;

import dev.vibed.controller.testing.OnAddOrUpdate;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxClaimStatus;
import dev.vibed.kube.agentsandbox.SandboxNameHash;
import dev.vibed.kube.agentsandbox.SandboxRef;
import dev.vibed.kube.agentsandbox.SandboxSpec;
import dev.vibed.kube.agentsandbox.SandboxStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * agent-sandbox as the scale benchmark plays it: every new claim is bound at once to a new Sandbox whose pod is
 * created Ready (a warm pool that never runs dry), with the API writes agent-sandbox makes (Sandbox, its status,
 * the pod, the claim's status). Each pod gets its own loopback address, which is how {@link InProcessAgents} tells
 * the sandboxes' agents apart; nothing ever dials it.
 */
final class InstantAgentSandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InstantAgentSandbox.class.getName());
    static final int AGENT_PORT = 9001;
    static final int APP_PORT = 9002;

    private final KubernetesClient client;
    private final String namespace;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final SharedIndexInformer<SandboxClaim> informer;

    InstantAgentSandbox(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.informer = client.resources(SandboxClaim.class).inNamespace(namespace).inform(new OnAddOrUpdate<>(this::bindLater));
    }

    private void bindLater(SandboxClaim claim) {
        boolean bound = claim.getStatus() != null && claim.getStatus().getSandbox() != null;
        if (!bound && claim.getMetadata().getDeletionTimestamp() == null && seen.add(claim.getMetadata().getName())) {
            workers.execute(() -> bind(claim.getMetadata().getName()));
        }
    }

    private void bind(String claimName) {
        try {
            int n = sequence.incrementAndGet();
            String ip = "127." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
            String sandboxName = claimName + "-sb";
            String hash = SandboxNameHash.of(sandboxName);
            Sandbox sandbox = new Sandbox();
            sandbox.setMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(namespace)
                    .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, hash, AgentSandbox.LAUNCH_TYPE_LABEL, "warm")).build());
            sandbox.setSpec(new SandboxSpec());
            client.resources(Sandbox.class).inNamespace(namespace).resource(sandbox).create();
            SandboxStatus sandboxStatus = new SandboxStatus();
            sandboxStatus.setPodIPs(List.of(ip));
            sandboxStatus.setSelector(AgentSandbox.SANDBOX_NAME_HASH_LABEL + "=" + hash);
            sandboxStatus.setConditions(List.of(ready()));
            sandbox.setStatus(sandboxStatus);
            client.resources(Sandbox.class).inNamespace(namespace).resource(sandbox).updateStatus();

            Pod pod = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(namespace)
                            .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, hash))
                            .withAnnotations(Map.of(AgentSandbox.AGENT_PORT_ANNOTATION, String.valueOf(AGENT_PORT),
                                    AgentSandbox.APP_PORT_ANNOTATION, String.valueOf(APP_PORT)))
                            .build())
                    .withNewSpec().addNewContainer().withName("agent").withImage("vibed/sandbox-static").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").withPodIP(ip)
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build();
            client.pods().inNamespace(namespace).resource(pod).create();

            SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(namespace).withName(claimName).get();
            if (claim == null) {
                return;
            }
            SandboxClaimStatus status = new SandboxClaimStatus();
            SandboxRef ref = new SandboxRef();
            ref.setName(sandboxName);
            ref.setPodIPs(List.of(ip));
            status.setSandbox(ref);
            status.setConditions(List.of(ready()));
            claim.setStatus(status);
            client.resources(SandboxClaim.class).inNamespace(namespace).resource(claim).updateStatus();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "binding claim " + claimName + " failed", e);
        }
    }

    private static io.fabric8.kubernetes.api.model.Condition ready() {
        return new ConditionBuilder().withType("Ready").withStatus("True").withReason("DependenciesReady").build();
    }

    @Override
    public void close() {
        informer.close();
        workers.shutdownNow();
    }
}
