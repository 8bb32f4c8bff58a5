package dev.vibed.kube.sandbox;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxRef;
import dev.vibed.kube.cache.ClusterReads;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what agent-sandbox reported for a claim: failed, not bound yet, or bound to a sandbox whose pod has an IP,
 * and then where its agent and app listen. Reasons are handled the way agent-sandbox itself handles them: what it
 * retries (a missing template or pool) is retried here with backoff and shown meanwhile; what never heals fails
 * with its own reason and what to do; a {@code ReconcilerError} that persists past the grace fails.
 */
final class ClaimObserver {
    /** Ready=False reasons of agent-sandbox's claim controller that do not heal by waiting. */
    static final Set<String> FAILED_REASONS = Set.of(AgentSandbox.REASON_INVALID_METADATA,
            "EnvVarsInjectionRejected", "VolumeClaimTemplatesError", "ClaimExpired", "SandboxExpired");
    /** Reasons agent-sandbox retries itself and recovers from once the object appears. */
    static final Set<String> RETRIED_REASONS = Set.of(AgentSandbox.REASON_TEMPLATE_NOT_FOUND,
            AgentSandbox.REASON_WARM_POOL_NOT_FOUND);
    static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AgentTokens tokens;
    private final Clock clock;
    private final Duration errorGrace;
    private final ClusterReads reads;

    ClaimObserver(AgentTokens tokens, Clock clock, Duration errorGrace, ClusterReads reads) {
        this.reads = reads;
        this.tokens = tokens;
        this.clock = clock;
        this.errorGrace = errorGrace;
    }

    ClaimResult observe(SandboxClaim claim) {
        String key = claim.getMetadata().getName();
        var status = claim.getStatus();
        Optional<Condition> ready = status == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        if (ready.isPresent() && "False".equals(ready.get().getStatus())) {
            Condition c = ready.get();
            String detail = "SandboxClaim " + key + ": " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            if (AgentSandbox.REASON_INVALID_METADATA.equals(c.getReason())) {
                return new ClaimResult.Failed(AgentSandbox.REASON_INVALID_METADATA, detail + ". agent-sandbox accepts claim"
                        + " pod labels only from the domains in key '" + AgentSandbox.ALLOWED_LABEL_DOMAINS_KEY + "' of ConfigMap '"
                        + AgentSandbox.CONFIG_MAP + "' (read when its controller starts); add the domain there and restart it");
            }
            if (FAILED_REASONS.contains(c.getReason())) {
                return new ClaimResult.Failed("ClaimFailed", detail);
            }
            if (RETRIED_REASONS.contains(c.getReason())) {
                return new ClaimResult.Pending(c.getReason(), detail + " (agent-sandbox retries; waiting for it to appear)",
                        backoff(since(c)));
            }
            if (AgentSandbox.REASON_RECONCILER_ERROR.equals(c.getReason()) && since(c) != null
                    && clock.instant().isAfter(since(c).plus(errorGrace))) {
                return new ClaimResult.Failed("ClaimFailed", detail + " (for longer than " + errorGrace.toSeconds() + " s)");
            }
        }
        SandboxRef bound = status == null ? null : status.getSandbox();
        if (bound == null || bound.getName() == null || bound.getName().isBlank()) {
            return new ClaimResult.Pending("waiting for agent-sandbox to bind SandboxClaim " + key
                    + ready.map(c -> " (" + c.getReason() + ")").orElse(""));
        }
        Sandbox sandbox = reads.sandboxes().get(bound.getName()).orElse(null);
        Pod pod = reads.pods().get(podName(bound.getName(), sandbox)).orElse(null);
        if (reads.watched() && (sandbox == null || pod == null)) {
            // The caches are behind the claim (each kind has its own watch); the missing one's event wakes us.
            return new ClaimResult.Pending(ClaimResult.Pending.CLAIMING, "sandbox " + bound.getName() + " is bound; waiting to see its "
                    + (sandbox == null ? "Sandbox" : "pod"), reads.recheck());
        }
        String ip = firstIp(bound.getPodIPs(), sandbox, pod);
        if (ip == null) {
            return new ClaimResult.Pending("sandbox " + bound.getName() + " has no pod IP yet");
        }
        int agentPort = port(AgentSandbox.AGENT_PORT_ANNOTATION, AgentSandbox.DEFAULT_AGENT_PORT, pod, sandbox);
        int appPort = port(AgentSandbox.APP_PORT_ANNOTATION, AgentSandbox.DEFAULT_APP_PORT, pod, sandbox);
        // agent-sandbox labels the Sandbox with its launch type, not the pod.
        boolean cold = sandbox != null && sandbox.getMetadata().getLabels() != null
                && "cold".equals(sandbox.getMetadata().getLabels().get(AgentSandbox.LAUNCH_TYPE_LABEL));
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        var agent = new AgentClient.Endpoint(URI.create("http://" + host + ":" + agentPort), tokens.token());
        return new ClaimResult.Bound(new SandboxLease(key, bound.getName(), agent, ip, appPort, cold));
    }

    /** When the condition last changed; null when agent-sandbox did not say. */
    private static Instant since(Condition c) {
        try {
            return c.getLastTransitionTime() == null ? null : Instant.parse(c.getLastTransitionTime());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Half the time the claim has waited so far, within [0.5 s, 30 s]: quick at first, then gentle on the API server. */
    private Duration backoff(Instant since) {
        return backoffAfter(since == null ? Duration.ZERO : Duration.between(since, clock.instant()));
    }

    static Duration backoffAfter(Duration waited) {
        Duration half = waited.dividedBy(2);
        return half.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : half.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : half;
    }

    /** agent-sandbox names the pod after the sandbox unless the sandbox says otherwise. */
    private static String podName(String sandboxName, Sandbox sandbox) {
        Map<String, String> annotations = sandbox == null ? null : sandbox.getMetadata().getAnnotations();
        String named = annotations == null ? null : annotations.get(AgentSandbox.POD_NAME_ANNOTATION);
        return named == null || named.isBlank() ? sandboxName : named;
    }

    private static String firstIp(List<String> claimIps, Sandbox sandbox, Pod pod) {
        if (claimIps != null && !claimIps.isEmpty()) {
            return claimIps.getFirst();
        }
        if (sandbox != null && sandbox.getStatus() != null && !sandbox.getStatus().getPodIPs().isEmpty()) {
            return sandbox.getStatus().getPodIPs().getFirst();
        }
        if (pod != null && pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
            return pod.getStatus().getPodIP();
        }
        return null;
    }

    /** The pod's annotation wins (it comes from the template), then the sandbox's, then the default. */
    private static int port(String annotation, int fallback, HasMetadata... sources) {
        for (HasMetadata source : sources) {
            if (source == null || source.getMetadata().getAnnotations() == null) {
                continue;
            }
            String value = source.getMetadata().getAnnotations().get(annotation);
            if (value != null) {
                try {
                    int port = Integer.parseInt(value.trim());
                    if (port > 0 && port < 65536) {
                        return port;
                    }
                } catch (NumberFormatException ignored) {
                    // a malformed annotation falls back to the default rather than failing the app
                }
            }
        }
        return fallback;
    }
}
