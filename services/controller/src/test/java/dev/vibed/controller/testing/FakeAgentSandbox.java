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
import dev.vibed.kube.agentsandbox.SandboxNameHash;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
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
 * Plays agent-sandbox's controller for tests (there is no cluster here), as its claim and sandbox controllers
 * really behave (read from its source): a claim whose additionalPodMetadata uses a label domain outside the
 * allow-list (stock: {@code sandbox.users.io}) ends {@code Ready=False, InvalidMetadata}; a claim whose warm pool or
 * template is missing shows {@code WarmPoolNotFound}/{@code TemplateNotFound} and is retried until they appear;
 * otherwise it is bound to a new Sandbox (labelled with its launch type, publishing its pod selector) and a Pod
 * carrying the sandbox-name-hash label. The claim reports Ready first; the claim's pod labels are patched and the
 * pod turns Ready a moment later, as after a warm adoption. The pod's "container" is a real vibed-agent process on
 * loopback; since every pod has the IP 127.0.0.1, the pod carries its agent and app ports as the
 * {@code vibed.dev/agent-port} / {@code vibed.dev/app-port} annotations.
 *
 * <p>What a pool does is set per warm pool: {@link Behavior#AGENT} (a working warm sandbox), {@link Behavior#COLD}
 * (the same, cold-started), {@link Behavior#NO_AGENT} (a pod whose agent never answers), {@link Behavior#REJECT}
 * (agent-sandbox refuses the claim with InvalidMetadata).
 */
public final class FakeAgentSandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FakeAgentSandbox.class.getName());
    public static final String POD_IP = "127.0.0.1";

    public enum Behavior {AGENT, COLD, NO_AGENT, REJECT}

    /** agent-sandbox's default allow-list of claim pod-label domains (its "secure default fallback"). */
    public static final Set<String> STOCK_LABEL_DOMAINS = Set.of("sandbox.users.io");
    /** How long after the claim's Ready the pod's labels are patched and the pod turns Ready. */
    static final long POD_READY_LAG_MS = 300;

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
    private final Set<String> podReadinessHeld = ConcurrentHashMap.newKeySet();
    private final Map<String, String> pendingPods = new ConcurrentHashMap<>();
    private final Set<String> allowedLabelDomains;
    private final AtomicInteger sequence = new AtomicInteger();
    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
    private final SharedIndexInformer<SandboxClaim> informer;

    public FakeAgentSandbox(KubernetesClient client, String namespace, String token, Path workDir, Map<String, Behavior> behaviors) {
        this(client, namespace, token, workDir, behaviors, STOCK_LABEL_DOMAINS);
    }

    public FakeAgentSandbox(KubernetesClient client, String namespace, String token, Path workDir, Map<String, Behavior> behaviors,
                            Set<String> allowedLabelDomains) {
        this.allowedLabelDomains = Set.copyOf(allowedLabelDomains);
        this.client = client;
        this.namespace = namespace;
        this.token = token;
        this.workDir = workDir;
        this.behaviors = new ConcurrentHashMap<>(behaviors);
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

    /** From now on, claims on {@code pool} are bound this way (the templates' names are the agent's, so tests vary the pool). */
    public void behave(String pool, Behavior behavior) {
        behaviors.put(pool, behavior);
    }

    /** Claims on {@code pool} stay unbound (Pending) until {@link #release}: a deploy paused mid-way, on purpose. */
    public void hold(String pool) {
        held.add(pool);
    }

    public void release(String pool) {
        held.remove(pool);
        // From the informer's cache: tests count the LISTs of claims the controller makes, and this is not one.
        informer.getStore().list().forEach(this::maybeBind);
    }

    /** Pods of sandboxes bound from {@code pool} stay not Ready (claim Ready, no endpoint) until {@link #releasePodReadiness}. */
    public void holdPodReadiness(String pool) {
        podReadinessHeld.add(pool);
    }

    public void releasePodReadiness(String pool) {
        podReadinessHeld.remove(pool);
        pendingPods.forEach((podName, poolName) -> {
            if (poolName.equals(pool)) {
                workers.execute(() -> makePodReady(podName));
            }
        });
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
        boolean rejected = claim.getStatus() != null && claim.getStatus().getConditions().stream()
                .anyMatch(c -> "InvalidMetadata".equals(c.getReason()));
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
        } catch (MissingDependency e) {
            // Requeued until the pool or template exists (or the claim is gone), without spending the attempts.
            workers.schedule(() -> bindWithRetries(name, attemptsLeft), 300, TimeUnit.MILLISECONDS);
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
        String poolName = claim.getSpec().getWarmPoolRef().getName();
        Behavior behavior = behaviors.getOrDefault(poolName, Behavior.AGENT);
        Map<String, String> podLabels = claim.getSpec().getAdditionalPodMetadata() == null ? Map.of()
                : claim.getSpec().getAdditionalPodMetadata().getLabels();
        Optional<String> invalid = podLabels.keySet().stream().filter(k -> !allowedDomain(k)).findFirst();
        if (behavior == Behavior.REJECT || invalid.isPresent()) {
            writeClaimStatus(claimName, null, notReady("InvalidMetadata", "invalid additionalPodMetadata: label domain "
                    + invalid.map(k -> "\"" + k.substring(0, Math.max(0, k.indexOf('/'))) + "\"").orElse("\"vibed.dev\"")
                    + " is not in the allowlist"));
            return null;
        }
        // Missing pool or template: agent-sandbox reports it and requeues until the object appears.
        SandboxWarmPool pool = client.resources(SandboxWarmPool.class).inNamespace(namespace).withName(poolName).get();
        String missing = pool == null ? "WarmPoolNotFound"
                : client.resources(SandboxTemplate.class).inNamespace(namespace)
                .withName(pool.getSpec().getSandboxTemplateRef().getName()).get() == null ? "TemplateNotFound" : null;
        if (missing != null) {
            boolean reported = claim.getStatus() != null && claim.getStatus().getConditions().stream()
                    .anyMatch(c -> missing.equals(c.getReason()));
            if (!reported) { // unchanged conditions keep their transition time, as upstream
                writeClaimStatus(claimName, null, notReady(missing, missing.equals("WarmPoolNotFound")
                    ? "SandboxWarmPool " + poolName + " not found" : "SandboxTemplate not found"));
            }
            throw new MissingDependency(missing);
        }
        String sandboxName = claimName + "-sb" + sequence.incrementAndGet();
        String hash = SandboxNameHash.of(sandboxName);
        int appPort = Ports.free();
        AgentHandle agent = behavior == Behavior.AGENT || behavior == Behavior.COLD ? startAgent(sandboxName, appPort) : null;
        int agentPort = agent != null ? agent.controlPort() : Ports.free();

        // The launch type goes on the Sandbox (the claim controller's adoption and creation paths), not on the pod.
        Sandbox sandbox = new Sandbox();
        sandbox.setMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(namespace)
                .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, hash,
                        AgentSandbox.LAUNCH_TYPE_LABEL, behavior == Behavior.COLD ? "cold" : "warm")).build());
        sandbox.setSpec(new SandboxSpec());
        client.resources(Sandbox.class).inNamespace(namespace).resource(sandbox).create();
        SandboxStatus sandboxStatus = new SandboxStatus();
        sandboxStatus.setPodIPs(List.of(POD_IP));
        sandboxStatus.setSelector(AgentSandbox.SANDBOX_NAME_HASH_LABEL + "=" + hash);
        sandboxStatus.setConditions(List.of(ready()));
        sandbox.setStatus(sandboxStatus);
        client.resources(Sandbox.class).inNamespace(namespace).resource(sandbox).updateStatus();

        // The pod has the name-hash label from its creation; the claim's own pod labels come later.
        Pod pod = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(sandboxName).withNamespace(namespace)
                        .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, hash, "app.kubernetes.io/component", "sandbox"))
                        .withAnnotations(Map.of(AgentSandbox.AGENT_PORT_ANNOTATION, String.valueOf(agentPort),
                                AgentSandbox.APP_PORT_ANNOTATION, String.valueOf(appPort)))
                        .build())
                .withNewSpec().addNewContainer().withName("agent").withImage("vibed/sandbox-static").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(POD_IP)
                .addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus()
                .build();
        client.pods().inNamespace(namespace).resource(pod).create();

        Bound result = new Bound(sandboxName, agent);
        bound.put(claimName, result);
        writeClaimStatus(claimName, sandboxName, ready());
        pendingPods.put(sandboxName, poolName);
        if (!podReadinessHeld.contains(poolName)) {
            workers.schedule(() -> makePodReady(sandboxName), POD_READY_LAG_MS, TimeUnit.MILLISECONDS);
        }
        return result;
    }

    /** After adoption: the claim's pod labels are patched on, and the pod turns Ready. */
    private void makePodReady(String podName) {
        if (pendingPods.remove(podName) == null) {
            return;
        }
        SandboxClaim claim = bound.entrySet().stream().filter(e -> e.getValue().sandboxName().equals(podName)).findFirst()
                .map(e -> client.resources(SandboxClaim.class).inNamespace(namespace).withName(e.getKey()).get()).orElse(null);
        Map<String, String> extra = claim == null || claim.getSpec().getAdditionalPodMetadata() == null ? Map.of()
                : claim.getSpec().getAdditionalPodMetadata().getLabels();
        try {
            client.pods().inNamespace(namespace).withName(podName).edit(p -> {
                Map<String, String> labels = new LinkedHashMap<>(p.getMetadata().getLabels());
                labels.putAll(extra);
                p.getMetadata().setLabels(labels);
                p.getStatus().getConditions().forEach(c -> c.setStatus("True"));
                return p;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "pod " + podName + " went away before it was ready", e);
        }
    }

    private boolean allowedDomain(String labelKey) {
        int slash = labelKey.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String domain = labelKey.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
        return allowedLabelDomains.stream().anyMatch(d -> domain.equals(d) || domain.endsWith("." + d));
    }

    private static Condition notReady(String reason, String message) {
        return new ConditionBuilder().withType("Ready").withStatus("False").withReason(reason).withMessage(message)
                .withLastTransitionTime(java.time.Instant.now().toString()).build();
    }

    /** A bind that must wait for an object to appear; retried like agent-sandbox's requeue. */
    private static final class MissingDependency extends RuntimeException {
        MissingDependency(String reason) {
            super(reason, null, false, false);
        }
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
