package dev.vibed.kube.sandbox;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what agent-sandbox reported for a claim: failed, not bound yet, or bound to a sandbox whose pod has an IP,
 * and then where its agent and app listen.
 */
final class ClaimObserver {
    /**
     * Ready=False reasons of agent-sandbox's claim controller that do not heal by waiting. Others (SandboxNotReady,
     * SandboxMissing, AdoptionConflict, ReconcilerError, ...) are transient: the claim stays Pending.
     */
    static final Set<String> FAILED_REASONS = Set.of("TemplateNotFound", "WarmPoolNotFound", "InvalidMetadata",
            "EnvVarsInjectionRejected", "VolumeClaimTemplatesError", "ClaimExpired", "SandboxExpired");

    private final KubernetesClient client;
    private final String namespace;
    private final AgentTokens tokens;

    ClaimObserver(KubernetesClient client, String namespace, AgentTokens tokens) {
        this.client = client;
        this.namespace = namespace;
        this.tokens = tokens;
    }

    ClaimResult observe(SandboxClaim claim) {
        String key = claim.getMetadata().getName();
        var status = claim.getStatus();
        Optional<Condition> ready = status == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        if (ready.isPresent() && "False".equals(ready.get().getStatus()) && FAILED_REASONS.contains(ready.get().getReason())) {
            return new ClaimResult.Failed("ClaimFailed", "SandboxClaim " + key + ": " + ready.get().getReason()
                    + (ready.get().getMessage() == null ? "" : ": " + ready.get().getMessage()));
        }
        SandboxRef bound = status == null ? null : status.getSandbox();
        if (bound == null || bound.getName() == null || bound.getName().isBlank()) {
            return new ClaimResult.Pending("waiting for agent-sandbox to bind SandboxClaim " + key
                    + ready.map(c -> " (" + c.getReason() + ")").orElse(""));
        }
        Sandbox sandbox = client.resources(Sandbox.class).inNamespace(namespace).withName(bound.getName()).get();
        Pod pod = client.pods().inNamespace(namespace).withName(podName(bound.getName(), sandbox)).get();
        String ip = firstIp(bound.getPodIPs(), sandbox, pod);
        if (ip == null) {
            return new ClaimResult.Pending("sandbox " + bound.getName() + " has no pod IP yet");
        }
        int agentPort = port(AgentSandbox.AGENT_PORT_ANNOTATION, AgentSandbox.DEFAULT_AGENT_PORT, pod, sandbox);
        int appPort = port(AgentSandbox.APP_PORT_ANNOTATION, AgentSandbox.DEFAULT_APP_PORT, pod, sandbox);
        boolean cold = pod != null && pod.getMetadata().getLabels() != null
                && "cold".equals(pod.getMetadata().getLabels().get(AgentSandbox.LAUNCH_TYPE_LABEL));
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        var agent = new AgentClient.Endpoint(URI.create("http://" + host + ":" + agentPort), tokens.token());
        return new ClaimResult.Bound(new SandboxLease(key, bound.getName(), agent, ip, appPort, cold));
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
