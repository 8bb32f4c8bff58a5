package dev.vibed.kube.sandbox;

import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.NameRef;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxClaimSpec;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.cache.ClusterReads;
import dev.vibed.kube.model.AppOwner;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link SandboxPool} on agent-sandbox: a claim key is a {@code SandboxClaim} of that name on the warm pool of the
 * version's template. Our labels (app, version, claim key) stay on the claim object: nothing goes in
 * {@code additionalPodMetadata}, whose label domains agent-sandbox restricts to an allow-list ({@code vibed.dev} is
 * not on a stock install's), because the per-app Service selects the pod by agent-sandbox's own name-hash label.
 * Env never goes on the claim (a claim with env is always cold-started). Every call reads the cluster, so it is
 * idempotent and survives restarts. Claims and pods are read through {@link ClusterReads}: in the controller its
 * informer caches, whose events wake the app when a claim binds, so a pending claim is not polled.
 */
public final class SandboxClaimPool implements SandboxPool {
    private final KubernetesClient client;
    private final String namespace;
    public static final Duration DEFAULT_ERROR_GRACE = Duration.ofMinutes(2);
    /** Reason of a template left at agent-sandbox's default networkPolicyManagement (Managed). */
    public static final String REASON_NETWORK_POLICY_MANAGED = "TemplateNetworkPolicyManaged";

    private final ClaimObserver observer;
    private final ClusterReads reads;
    private final Clock clock;
    /** When a template was first seen without a pool, per claim key: only a backoff timer. */
    private final Map<String, Instant> poolMissingSince = new java.util.concurrent.ConcurrentHashMap<>();

    public SandboxClaimPool(KubernetesClient client, String namespace, AgentTokens tokens) {
        this(client, namespace, tokens, Clock.systemUTC(), DEFAULT_ERROR_GRACE);
    }

    /** @param errorGrace how long a claim may stay in agent-sandbox's ReconcilerError before the rollout fails */
    public SandboxClaimPool(KubernetesClient client, String namespace, AgentTokens tokens, Clock clock, Duration errorGrace) {
        this(client, namespace, tokens, clock, errorGrace, ClusterReads.direct(client, namespace));
    }

    /** @param reads where claims and pods are read from; writes always go to the API server */
    public SandboxClaimPool(KubernetesClient client, String namespace, AgentTokens tokens, Clock clock, Duration errorGrace,
                            ClusterReads reads) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
        this.reads = reads;
        this.observer = new ClaimObserver(tokens, clock, errorGrace, reads);
    }

    @Override
    public boolean hasTemplate(String template) {
        return reads.templates().get(template).isPresent();
    }

    @Override
    public ClaimResult claim(String claimKey, String template, Map<String, String> labels) {
        SandboxClaim existing = reads.claims().get(claimKey).orElse(null);
        if (existing != null) {
            return existing.getMetadata().getDeletionTimestamp() != null
                    ? pending("SandboxClaim " + claimKey + " is being deleted")
                    : waitingForEvent(observer.observe(existing));
        }
        Optional<ClaimResult> unusable = unusableTemplate(template);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        Optional<String> pool = warmPoolFor(template);
        if (pool.isEmpty()) {
            // As agent-sandbox does for a claim whose pool is missing: retry with backoff until it appears.
            Instant since = poolMissingSince.computeIfAbsent(claimKey, k -> clock.instant());
            Duration retry = ClaimObserver.backoffAfter(Duration.between(since, clock.instant()));
            return new ClaimResult.Pending(AgentSandbox.REASON_WARM_POOL_NOT_FOUND, "no SandboxWarmPool in namespace "
                    + namespace + " references SandboxTemplate '" + template + "' yet; retrying", retry);
        }
        poolMissingSince.remove(claimKey);
        try {
            claims().resource(newClaim(claimKey, pool.get(), labels)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Created by an earlier attempt whose answer we lost: observe it next time.
        }
        return pending("claimed a sandbox from warm pool " + pool.get() + "; waiting for agent-sandbox to bind it");
    }

    /** Not bound yet: with watched reads the binding's event wakes the app, so the retry is only a safety net. */
    private ClaimResult pending(String message) {
        return new ClaimResult.Pending(ClaimResult.Pending.CLAIMING, message, reads.recheck());
    }

    private ClaimResult waitingForEvent(ClaimResult observed) {
        return observed instanceof ClaimResult.Pending p && p.retryAfter() == null && reads.recheck() != null
                ? new ClaimResult.Pending(p.reason(), p.message(), reads.recheck()) : observed;
    }

    @Override
    public Optional<SandboxLease> lease(String claimKey) {
        SandboxClaim claim = reads.claims().get(claimKey).orElse(null);
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        return observer.observe(claim) instanceof ClaimResult.Bound bound ? Optional.of(bound.lease()) : Optional.empty();
    }

    /**
     * Deletes the claim; agent-sandbox then deletes its sandbox and pod. The pod never returns to the warm pool
     * (the pool boots a fresh one), so a released sandbox is never seen by another app.
     */
    @Override
    public void release(String claimKey) {
        poolMissingSince.remove(claimKey);
        claims().withName(claimKey).delete();
    }

    @Override
    public Set<String> claimKeys() {
        return keysOf(reads.claims().withLabels(Map.of()));
    }

    /** By the claim's app label: from the cache, a lookup that does not grow with the number of apps' claims read. */
    @Override
    public Set<String> claimKeysOf(String appId) {
        return keysOf(reads.claims().withLabels(Map.of(AgentSandbox.APP_LABEL, appId)));
    }

    private static Set<String> keysOf(Iterable<SandboxClaim> claims) {
        Set<String> keys = new TreeSet<>();
        for (SandboxClaim claim : claims) {
            Map<String, String> labels = claim.getMetadata().getLabels();
            if (claim.getMetadata().getDeletionTimestamp() == null && labels != null
                    && labels.containsKey(AgentSandbox.CLAIM_LABEL)) {
                keys.add(claim.getMetadata().getName());
            }
        }
        return keys;
    }

    /**
     * A template left at agent-sandbox's default {@code networkPolicyManagement: Managed} gets a policy admitting
     * only agent-sandbox's router: the controller could not reach the agent nor Caddy the app, and the deploy would
     * time out. Said plainly instead.
     */
    private Optional<ClaimResult> unusableTemplate(String template) {
        SandboxTemplate t = reads.templates().get(template).orElse(null);
        if (t == null) {
            return Optional.empty(); // the reconciler checked it exists; agent-sandbox reports TemplateNotFound if it went
        }
        Object management = t.getSpec() == null ? null : t.getSpec().getAdditionalProperties().get("networkPolicyManagement");
        if (!AgentSandbox.NETWORK_POLICY_UNMANAGED.equals(management)) {
            return Optional.of(new ClaimResult.Failed(REASON_NETWORK_POLICY_MANAGED, "SandboxTemplate '" + template
                    + "' has networkPolicyManagement " + (management == null ? "unset (agent-sandbox's default: Managed)" : management)
                    + ": its NetworkPolicy would admit only agent-sandbox's router, so neither vibed-controller (agent port "
                    + AgentSandbox.DEFAULT_AGENT_PORT + ") nor Caddy (app port " + AgentSandbox.DEFAULT_APP_PORT
                    + ") could reach the sandbox. Set networkPolicyManagement: Unmanaged (the vibeD chart's templates do)"
                    + " and give it vibeD's NetworkPolicy."));
        }
        return Optional.empty();
    }

    /** The pool that boots {@code template}; by convention it has the template's name, but any referencing pool will do. */
    private Optional<String> warmPoolFor(String template) {
        SandboxWarmPool named = reads.warmPools().get(template).orElse(null);
        if (named != null && references(named, template)) {
            return Optional.of(template);
        }
        return reads.warmPools().withLabels(Map.of()).stream()
                .filter(p -> references(p, template))
                .map(p -> p.getMetadata().getName())
                .sorted()
                .findFirst();
    }

    private static boolean references(SandboxWarmPool pool, String template) {
        return pool.getSpec() != null && pool.getSpec().getSandboxTemplateRef() != null
                && template.equals(pool.getSpec().getSandboxTemplateRef().getName());
    }

    private SandboxClaim newClaim(String claimKey, String pool, Map<String, String> labels) {
        Map<String, String> ours = new LinkedHashMap<>(labels);
        ours.put(AgentSandbox.CLAIM_LABEL, claimKey);
        SandboxClaim claim = new SandboxClaim();
        var meta = new ObjectMetaBuilder().withName(claimKey).withNamespace(namespace).withLabels(ours);
        // The claim belongs to its app: were the finalizer ever bypassed, garbage collection still removes it.
        String app = labels.get(AgentSandbox.APP_LABEL);
        if (app != null) {
            reads.apps().get(app).map(AppOwner::of).ifPresent(meta::withOwnerReferences);
        }
        claim.setMetadata(meta.build());
        SandboxClaimSpec spec = new SandboxClaimSpec();
        spec.setWarmPoolRef(new NameRef(pool));
        claim.setSpec(spec);
        return claim;
    }

    private NonNamespaceOperation<SandboxClaim, KubernetesResourceList<SandboxClaim>, Resource<SandboxClaim>> claims() {
        return client.resources(SandboxClaim.class).inNamespace(namespace);
    }
}
