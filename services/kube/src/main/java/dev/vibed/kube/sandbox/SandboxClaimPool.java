package dev.vibed.kube.sandbox;

import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.NameRef;
import dev.vibed.kube.agentsandbox.PodMetadata;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxClaimSpec;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.model.AppOwner;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link SandboxPool} on agent-sandbox: a claim key is a {@code SandboxClaim} of that name on the warm pool of the
 * version's template. Our labels (app, version, claim key) travel to the pod through
 * {@code additionalPodMetadata}, so the per-app Service can select the pod; env never goes on the claim (a claim
 * with env is always cold-started). Every call reads the cluster, so it is idempotent and survives restarts.
 */
public final class SandboxClaimPool implements SandboxPool {
    private final KubernetesClient client;
    private final String namespace;
    private final ClaimObserver observer;

    public SandboxClaimPool(KubernetesClient client, String namespace, AgentTokens tokens) {
        this.client = client;
        this.namespace = namespace;
        this.observer = new ClaimObserver(client, namespace, tokens);
    }

    @Override
    public boolean hasTemplate(String template) {
        return client.resources(SandboxTemplate.class).inNamespace(namespace).withName(template).get() != null;
    }

    @Override
    public ClaimResult claim(String claimKey, String template, Map<String, String> labels) {
        SandboxClaim existing = claims().withName(claimKey).get();
        if (existing != null) {
            return existing.getMetadata().getDeletionTimestamp() != null
                    ? new ClaimResult.Pending("SandboxClaim " + claimKey + " is being deleted")
                    : observer.observe(existing);
        }
        Optional<String> pool = warmPoolFor(template);
        if (pool.isEmpty()) {
            return new ClaimResult.Failed("ClaimFailed", "no SandboxWarmPool in namespace " + namespace
                    + " references SandboxTemplate '" + template + "'");
        }
        try {
            claims().resource(newClaim(claimKey, pool.get(), labels)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Created by an earlier attempt whose answer we lost: observe it next time.
        }
        return new ClaimResult.Pending("claimed a sandbox from warm pool " + pool.get() + "; waiting for agent-sandbox to bind it");
    }

    @Override
    public Optional<SandboxLease> lease(String claimKey) {
        SandboxClaim claim = claims().withName(claimKey).get();
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
        claims().withName(claimKey).delete();
    }

    @Override
    public Set<String> claimKeys() {
        Set<String> keys = new TreeSet<>();
        for (SandboxClaim claim : claims().withLabel(AgentSandbox.CLAIM_LABEL).list().getItems()) {
            if (claim.getMetadata().getDeletionTimestamp() == null) {
                keys.add(claim.getMetadata().getName());
            }
        }
        return keys;
    }

    /** The pool that boots {@code template}; by convention it has the template's name, but any referencing pool will do. */
    private Optional<String> warmPoolFor(String template) {
        SandboxWarmPool named = client.resources(SandboxWarmPool.class).inNamespace(namespace).withName(template).get();
        if (named != null && references(named, template)) {
            return Optional.of(template);
        }
        return client.resources(SandboxWarmPool.class).inNamespace(namespace).list().getItems().stream()
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
        AppOwner.lookup(client, namespace, labels.get(AgentSandbox.APP_LABEL)).ifPresent(meta::withOwnerReferences);
        claim.setMetadata(meta.build());
        PodMetadata podMetadata = new PodMetadata();
        podMetadata.setLabels(new LinkedHashMap<>(ours));
        SandboxClaimSpec spec = new SandboxClaimSpec();
        spec.setWarmPoolRef(new NameRef(pool));
        spec.setAdditionalPodMetadata(podMetadata);
        claim.setSpec(spec);
        return claim;
    }

    private NonNamespaceOperation<SandboxClaim, KubernetesResourceList<SandboxClaim>, Resource<SandboxClaim>> claims() {
        return client.resources(SandboxClaim.class).inNamespace(namespace);
    }
}
