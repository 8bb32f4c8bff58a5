package dev.vibed.controller.testing;

import dev.vibed.agent.AgentHandle;
import dev.vibed.agent.AgentLauncher;
import dev.vibed.agent.AgentOptions;
import dev.vibed.agent.Isolation;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxClaimStatus;
import dev.vibed.kube.agentsandbox.SandboxRef;
import dev.vibed.kube.agentsandbox.SandboxSpec;
import dev.vibed.kube.agentsandbox.SandboxStatus;
import dev.vibed.kube.testing.Ports;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays agent-sandbox's controller for tests (there is no cluster here): it watches SandboxClaims and binds each to
 * a new Sandbox and a Pod labelled with the claim's additionalPodMetadata labels and the sandbox-name-hash label,
 * then writes the claim's status (sandbox name, pod IP 127.0.0.1, Ready). The pod's "container" is a real
 * vibed-agent process on loopback; since every pod has the IP 127.0.0.1, the pod carries its agent and app ports as
 * the {@code vibed.dev/agent-port} / {@code vibed.dev/app-port} annotations.
 *
 * <p>What a pool does is set per warm pool: {@link Behavior#AGENT} (a working sandbox), {@link Behavior#NO_AGENT}
 * (a pod whose agent never answers), {@link Behavior#REJECT} (agent-sandbox refuses the claim).
 */
public final class FakeAgentSandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FakeAgentSandbox.class.getName());
    public static final String POD_IP = "127.0.0.1";

    public enum Behavior {AGENT, NO_AGENT, REJECT}

    public record Bound(String sandboxName, AgentHandle agent) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String token;
    private final Path workDir;
    private final Map<String, Behavior> behaviors;
    private final Map<String, Bound> bound = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
    private final SharedIndexInformer<SandboxClaim> informer;

    public FakeAgentSandbox(KubernetesClient client, String namespace, String token, Path workDir, Map<String, Behavior> behaviors) {
        this.client = client;
        this.namespace = namespace;
        this.token = token;
        this.workDir = workDir;
        this.behaviors = Map.copyOf(behaviors);
        this.informer = client.resources(SandboxClaim.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(SandboxClaim claim) {
                maybeBind(claim);
            }

            @Override
            public void onUpdate(SandboxClaim before, SandboxClaim after) {
                maybeBind(after);
            }

            @Override
            public void onDelete(SandboxClaim claim, boolean finalStateUnknown) {
                String name = claim.getMetadata().getName();
                workers.execute(() -> unbind(name));
            }
        });
    }

    /** Claims on {@code pool} stay unbound (Pending) until {@link #release}: a deploy paused mid-way, on purpose. */
    public void hold(String pool) {
        held.add(pool);
    }

    public void release(String pool) {
        held.remove(pool);
        client.resources(SandboxClaim.class).inNamespace(namespace).list().getItems().forEach(this::maybeBind);
    }

    /** The sandbox currently bound to a claim. */
    public Optional<Bound> bound(String claimName) {
        return Optional.ofNullable(bound.get(claimName));
    }

    /**
     * The pod dies (its agent is killed) and agent-sandbox brings the claim back on a new sandbox: a new pod, new
     * ports, an empty agent with a new bootId. Returns the new binding.
     */
    public Bound replacePod(String claimName) {
        Bound old = bound.get(claimName);
        if (old != null && old.agent() != null) {
            old.agent().process().descendants().forEach(ProcessHandle::destroyForcibly);
            old.agent().process().destroyForcibly();
        }
        Bound fresh = bind(claimName);
        if (old != null) {
            deleteSandbox(old.sandboxName());
        }
        return fresh;
    }

    private void maybeBind(SandboxClaim claim) {
        String name = claim.getMetadata().getName();
        boolean unbound = claim.getStatus() == null || claim.getStatus().getSandbox() == null
                || claim.getStatus().getSandbox().getName() == null;
        boolean rejected = claim.getStatus() != null && !claim.getStatus().getConditions().isEmpty();
        if (claim.getMetadata().getDeletionTimestamp() != null || !unbound || rejected || bound.containsKey(name)
                || held.contains(claim.getSpec().getWarmPoolRef().getName()) || !inFlight.add(name)) {
            return;
        }
        workers.execute(() -> bindWithRetries(name, 3));
    }

    /** agent-sandbox retries a failed bind too; an agent that did not start is tried again a moment later. */
    private void bindWithRetries(String name, int attemptsLeft) {
        try {
            bind(name);
            inFlight.remove(name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "binding claim " + name + " failed" + (attemptsLeft > 1 ? "; retrying" : ""), e);
            if (attemptsLeft > 1) {
                workers.schedule(() -> bindWithRetries(name, attemptsLeft - 1), 500, TimeUnit.MILLISECONDS);
            } else {
                inFlight.remove(name);
            }
        }
    }

    private Bound bind(String claimName) {
        SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(namespace).withName(claimName).get();
        if (claim == null) {
            return null;
        }
        Behavior behavior = behaviors.getOrDefault(claim.getSpec().getWarmPoolRef().getName(), Behavior.AGENT);
        if (behavior == Behavior.REJECT) {
            writeClaimStatus(claimName, null, new ConditionBuilder().withType("Ready").withStatus("False")
                    .withReason("InvalidMetadata").withMessage("restricted label domain in additionalPodMetadata").build());
            return null;
        }
        String sandboxName = claimName + "-sb" + sequence.incrementAndGet();
        int appPort = Ports.free();
        AgentHandle agent = behavior == Behavior.AGENT ? startAgent(sandboxName, appPort) : null;
        int agentPort = agent != null ? agent.controlPort() : Ports.free();

        Map<String, String> labels = new LinkedHashMap<>(claim.getSpec().getAdditionalPodMetadata().getLabels());
        labels.put(AgentSandbox.SANDBOX_NAME_HASH_LABEL, hash(sandboxName));
        labels.put(AgentSandbox.LAUNCH_TYPE_LABEL, "warm");
        Sandbox sandbox = new Sandbox();
        sandbox.setMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(namespace)
                .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, hash(sandboxName))).build());
        sandbox.setSpec(new SandboxSpec());
        client.resources(Sandbox.class).inNamespace(namespace).resource(sandbox).create();
        SandboxStatus sandboxStatus = new SandboxStatus();
        sandboxStatus.setPodIPs(List.of(POD_IP));
        sandboxStatus.setConditions(List.of(ready()));
        sandbox.setStatus(sandboxStatus);
        client.resources(Sandbox.class).inNamespace(namespace).resource(sandbox).updateStatus();

        Pod pod = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(namespace)
                        .withLabels(labels)
                        .withAnnotations(Map.of(AgentSandbox.AGENT_PORT_ANNOTATION, String.valueOf(agentPort),
                                AgentSandbox.APP_PORT_ANNOTATION, String.valueOf(appPort)))
                        .build())
                .withNewSpec().addNewContainer().withName("sandbox").withImage("vibed/sandbox-static").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(POD_IP).endStatus()
                .build();
        client.pods().inNamespace(namespace).resource(pod).create();

        Bound result = new Bound(sandboxName, agent);
        bound.put(claimName, result);
        writeClaimStatus(claimName, sandboxName, ready());
        return result;
    }

    private AgentHandle startAgent(String sandboxName, int appPort) {
        try {
            Path dir = Files.createDirectories(workDir.resolve(sandboxName));
            AgentOptions opts = AgentOptions.defaults(dir.resolve("workspace"))
                    .withControlPort(0)
                    .withAppPort(appPort)
                    .withBind(POD_IP)
                    .withIsolation(Isolation.NONE)
                    .withCacheDir(workDir.resolve("agent-cds"));
            AgentHandle agent = AgentLauncher.start(Path.of(System.getProperty("java.home")), opts, token,
                    dir.resolve("agent.log"), Duration.ofSeconds(30));
            // Should the test JVM end without close(), the "pod" and its app end with it.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.process().descendants().forEach(ProcessHandle::destroyForcibly);
                agent.process().destroyForcibly();
            }, "agent-reaper"));
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeClaimStatus(String claimName, String sandboxName, Condition ready) {
        SandboxClaim claim = client.resources(SandboxClaim.class).inNamespace(namespace).withName(claimName).get();
        if (claim == null) {
            return;
        }
        SandboxClaimStatus status = new SandboxClaimStatus();
        if (sandboxName != null) {
            SandboxRef ref = new SandboxRef();
            ref.setName(sandboxName);
            ref.setPodIPs(List.of(POD_IP));
            status.setSandbox(ref);
        }
        status.setConditions(List.of(ready));
        claim.setStatus(status);
        client.resources(SandboxClaim.class).inNamespace(namespace).resource(claim).updateStatus();
    }

    /** A deleted claim takes its sandbox and pod with it (agent-sandbox's owner references; the mock has no GC). */
    private void unbind(String claimName) {
        Bound gone = bound.remove(claimName);
        if (gone != null) {
            if (gone.agent() != null) {
                gone.agent().close(Duration.ofSeconds(3));
            }
            deleteSandbox(gone.sandboxName());
        }
    }

    private void deleteSandbox(String sandboxName) {
        client.resources(Sandbox.class).inNamespace(namespace).withName(sandboxName).delete();
        client.pods().inNamespace(namespace).withName(sandboxName).delete();
    }

    private static Condition ready() {
        return new ConditionBuilder().withType("Ready").withStatus("True").withReason("DependenciesReady").build();
    }

    /** agent-sandbox labels pods with a hash of the sandbox name; any stable short digest does for tests. */
    private static String hash(String name) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        informer.close();
        workers.shutdownNow();
        bound.values().forEach(b -> {
            if (b.agent() != null) {
                b.agent().close(Duration.ofSeconds(3));
            }
        });
        bound.clear();
    }
}
