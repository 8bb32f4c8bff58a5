package dev.vibed.controller.watch;

import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.agentsandbox.SandboxNameHash;
import dev.vibed.kube.cache.ClusterReads;
import dev.vibed.kube.model.VibedApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What wakes an app's reconcile besides its own VibedApp: java-operator-sdk informer event sources on the app's
 * SandboxClaims (by their {@code vibed.dev/app} label), on Sandboxes and their pods (through the claim bound to
 * the sandbox, by its name or agent-sandbox's name-hash label) and on the per-app Services (by label). Templates
 * and warm pools are cached too, for reads only. A claim that binds,
 * a pod that turns ready, a Service someone edited: each is an event for that one app, so nothing on the deploy
 * path waits on a timer. The same caches answer the pool's and the publisher's reads ({@link #reads()}), so a
 * reconcile pass makes no LIST.
 */
public final class AppWatches {
    static final String CLAIMS = "sandboxclaims";
    static final String PODS = "sandbox-pods";
    static final String SERVICES = "app-services";
    static final String SANDBOXES = "sandboxes";
    static final String TEMPLATES = "sandbox-templates";
    static final String WARM_POOLS = "sandbox-warm-pools";
    private static final String BY_POD_HASH = "by-sandbox-name-hash";
    private static final String BY_SANDBOX = "by-sandbox-name";

    private final String namespace;
    private final Duration recheck;
    private final CachedReads<SandboxClaim> claims;
    private final CachedReads<Pod> pods;
    private final CachedReads<Service> services;
    private final CachedReads<Sandbox> sandboxes;
    private final CachedReads<SandboxTemplate> templates;
    private final CachedReads<SandboxWarmPool> warmPools;
    private final CachedReads<VibedApp> apps;

    /** @param recheck how long an app waiting on one of these objects sleeps before it is looked at anyway */
    public AppWatches(String namespace, Duration recheck) {
        this.namespace = namespace;
        this.recheck = recheck;
        this.claims = new CachedReads<>(namespace, AgentSandbox.APP_LABEL);
        this.pods = new CachedReads<>(namespace, AgentSandbox.SANDBOX_NAME_HASH_LABEL);
        this.services = new CachedReads<>(namespace, null);
        this.sandboxes = new CachedReads<>(namespace, null);
        this.templates = new CachedReads<>(namespace, null);
        this.warmPools = new CachedReads<>(namespace, null);
        this.apps = new CachedReads<>(namespace, null);
    }

    /** Reads answered from the caches; usable once the operator has started them. */
    public ClusterReads reads() {
        return new ClusterReads(apps, claims, sandboxes, pods, services, templates, warmPools, recheck);
    }

    /** The event sources, for {@code Reconciler.prepareEventSources}; also wires the caches behind {@link #reads()}. */
    public List<EventSource<?, VibedApp>> prepare(EventSourceContext<VibedApp> context) {
        apps.attach(context.getPrimaryCache());
        InformerEventSource<SandboxClaim, VibedApp> claimSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(SandboxClaim.class, VibedApp.class).withName(CLAIMS)
                        .withNamespaces(namespace).withLabelSelector(AgentSandbox.CLAIM_LABEL)
                        .withSecondaryToPrimaryMapper(byAppLabel()).build(), context);
        claimSource.addIndexers(Map.of(
                CachedReads.indexOf(AgentSandbox.APP_LABEL), CachedReads.labelIndex(AgentSandbox.APP_LABEL),
                BY_POD_HASH, c -> sandboxOf(c).map(SandboxNameHash::of).stream().toList(),
                BY_SANDBOX, c -> sandboxOf(c).stream().toList()));
        claims.attach(claimSource);

        InformerEventSource<Pod, VibedApp> podSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, VibedApp.class).withName(PODS)
                        .withNamespaces(namespace).withLabelSelector(AgentSandbox.SANDBOX_NAME_HASH_LABEL)
                        .withSecondaryToPrimaryMapper(this::appsOfPod).build(), context);
        podSource.addIndexers(Map.of(CachedReads.indexOf(AgentSandbox.SANDBOX_NAME_HASH_LABEL),
                CachedReads.labelIndex(AgentSandbox.SANDBOX_NAME_HASH_LABEL)));
        pods.attach(podSource);

        InformerEventSource<Service, VibedApp> serviceSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Service.class, VibedApp.class).withName(SERVICES)
                        .withNamespaces(namespace).withLabelSelector(AgentSandbox.APP_LABEL)
                        .withSecondaryToPrimaryMapper(byAppLabel()).build(), context);
        services.attach(serviceSource);

        InformerEventSource<Sandbox, VibedApp> sandboxSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Sandbox.class, VibedApp.class).withName(SANDBOXES)
                        .withNamespaces(namespace)
                        .withSecondaryToPrimaryMapper(s -> appsOfClaims(BY_SANDBOX, s.getMetadata().getName())).build(), context);
        sandboxes.attach(sandboxSource);

        // Read-only caches: the few templates and pools the pool checks on every claim. They wake no app (an app
        // waiting for a missing pool retries with agent-sandbox's backoff).
        InformerEventSource<SandboxTemplate, VibedApp> templateSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(SandboxTemplate.class, VibedApp.class).withName(TEMPLATES)
                        .withNamespaces(namespace).withSecondaryToPrimaryMapper(t -> Set.of()).build(), context);
        templates.attach(templateSource);
        InformerEventSource<SandboxWarmPool, VibedApp> poolSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(SandboxWarmPool.class, VibedApp.class).withName(WARM_POOLS)
                        .withNamespaces(namespace).withSecondaryToPrimaryMapper(p -> Set.of()).build(), context);
        warmPools.attach(poolSource);
        return List.of(claimSource, podSource, serviceSource, sandboxSource, templateSource, poolSource);
    }

    private <R extends HasMetadata> SecondaryToPrimaryMapper<R> byAppLabel() {
        return object -> {
            Map<String, String> labels = object.getMetadata().getLabels();
            String app = labels == null ? null : labels.get(AgentSandbox.APP_LABEL);
            return app == null ? Set.of() : Set.of(new ResourceID(app, namespace));
        };
    }

    /** A pod belongs to the app whose claim is bound to the pod's sandbox (same name-hash label). */
    private Set<ResourceID> appsOfPod(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String hash = labels == null ? null : labels.get(AgentSandbox.SANDBOX_NAME_HASH_LABEL);
        return hash == null ? Set.of() : appsOfClaims(BY_POD_HASH, hash);
    }

    /** The apps of the claims that {@code index} files under {@code key}. */
    private Set<ResourceID> appsOfClaims(String index, String key) {
        return claims.byIndex(index, key).stream()
                .map(c -> c.getMetadata().getLabels().get(AgentSandbox.APP_LABEL))
                .filter(java.util.Objects::nonNull)
                .map(app -> new ResourceID(app, namespace))
                .collect(Collectors.toSet());
    }

    private static java.util.Optional<String> sandboxOf(SandboxClaim claim) {
        var status = claim.getStatus();
        String sandbox = status == null || status.getSandbox() == null ? null : status.getSandbox().getName();
        return sandbox == null || sandbox.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(sandbox);
    }
}
