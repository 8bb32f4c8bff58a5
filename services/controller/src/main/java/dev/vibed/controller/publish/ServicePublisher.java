package dev.vibed.controller.publish;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.model.AppOwner;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxNameHash;
import dev.vibed.kube.cache.ClusterReads;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link AppPublisher} as the per-app Service {@code vibed-app-<id>}: port {@value #SERVICE_PORT} to the app's
 * port on the pod of the serving claim's Sandbox, selected by agent-sandbox's own
 * {@code agents.x-k8s.io/sandbox-name-hash} label (the Sandbox's {@code status.selector}): it is on the pod from
 * its creation, needs no entry in agent-sandbox's allowed-label-domains, and claim-uid never reached pods in
 * v0.5.x. Caddy dials the Service, so a pod recreated with a new IP, or a rollout to a new version's pod, never
 * leaves a route stale. The app is published only once the Service has a ready endpoint (a ready pod it selects):
 * after a warm adoption the claim may report Ready a moment before the pod is.
 *
 * <p>{@code publishPodAddress} returns the pod's own {@code ip:appPort} as the route target instead of the
 * Service's DNS name (the Service is still kept). It exists for tests and single-host dev setups where the
 * router's proxy runs outside the cluster network and cannot resolve Service names.
 *
 * <p>The Service and the pods are read through {@link ClusterReads}: in the controller its informer caches, whose
 * pod events wake the app when its pod turns ready, so the wait for an endpoint is not a poll.
 */
public final class ServicePublisher implements AppPublisher {
    public static final int SERVICE_PORT = 8080;

    private final KubernetesClient client;
    private final String namespace;
    private final String clusterDomain;
    private final boolean publishPodAddress;
    private final ClusterReads reads;

    public ServicePublisher(KubernetesClient client, String namespace, String clusterDomain, boolean publishPodAddress) {
        this(client, namespace, clusterDomain, publishPodAddress, ClusterReads.direct(client, namespace));
    }

    public ServicePublisher(KubernetesClient client, String namespace, String clusterDomain, boolean publishPodAddress,
                            ClusterReads reads) {
        this.reads = reads;
        this.client = client;
        this.namespace = namespace;
        this.clusterDomain = clusterDomain;
        this.publishPodAddress = publishPodAddress;
    }

    @Override
    public String publish(App app, SandboxLease lease) throws PublishException {
        String name = AppIds.serviceName(app.id());
        Map<String, String> selector = selectorOf(lease.sandboxName());
        ServicePort port = new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(SERVICE_PORT)
                .withTargetPort(new IntOrString(lease.appPort())).build();
        try {
            Service existing = reads.services().get(name).orElse(null);
            if (existing == null) {
                create(app, name, selector, port);
            } else if (!selector.equals(existing.getSpec().getSelector()) || !samePort(existing, port)) {
                // Edit, not replace: the cluster IP and anything else the API server set are kept.
                client.services().inNamespace(namespace).withName(name).edit(s -> {
                    s.getSpec().setSelector(selector);
                    s.getSpec().setPorts(List.of(port));
                    return s;
                });
            }
            requireReadyEndpoint(name, selector, lease);
        } catch (KubernetesClientException e) {
            throw new PublishException("Service " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        if (publishPodAddress) {
            String host = lease.appHost().contains(":") ? "[" + lease.appHost() + "]" : lease.appHost();
            return host + ":" + lease.appPort();
        }
        return name + "." + namespace + ".svc." + clusterDomain + ":" + SERVICE_PORT;
    }

    /** The pod selector the Sandbox publishes, else the same label computed from its name. */
    Map<String, String> selectorOf(String sandboxName) {
        Sandbox sandbox = reads.sandboxes().get(sandboxName).orElse(null);
        String published = sandbox == null || sandbox.getStatus() == null ? null : sandbox.getStatus().getSelector();
        if (published != null && !published.isBlank()) {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String term : published.split(",")) {
                int eq = term.indexOf('=');
                if (eq <= 0 || term.contains("!")) {
                    parsed.clear();
                    break; // not a plain equality selector: fall back to the label we know
                }
                parsed.put(term.substring(0, eq).trim(), term.substring(eq + 1).replaceFirst("^=", "").trim());
            }
            if (!parsed.isEmpty()) {
                return Map.copyOf(parsed);
            }
        }
        return Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(sandboxName));
    }

    /** What the endpoints controller would do: a Service has an endpoint when a ready pod matches its selector. */
    private void requireReadyEndpoint(String service, Map<String, String> selector, SandboxLease lease) throws NotYetException {
        List<Pod> pods;
        try {
            pods = reads.pods().withLabels(selector);
        } catch (KubernetesClientException e) {
            throw new NotYetException("Service " + service + ": could not read its pods yet: " + e.getMessage());
        }
        boolean ready = pods.stream().anyMatch(ServicePublisher::ready);
        if (!ready) {
            throw new NotYetException("Service " + service + " has no ready endpoint yet (no ready pod matches "
                    + selector + (pods.isEmpty() ? "" : "; " + pods.size() + " not ready") + ") for sandbox "
                    + lease.sandboxName(), reads.recheck());
        }
    }

    private static boolean ready(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void create(App app, String name, Map<String, String> selector, ServicePort port) {
        var meta = new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(Map.of(AgentSandbox.APP_LABEL, app.id()));
        reads.apps().get(app.id()).map(AppOwner::of).ifPresent(meta::withOwnerReferences);
        Service service = new ServiceBuilder().withMetadata(meta.build())
                .withNewSpec().withType("ClusterIP").withSelector(selector).withPorts(port).endSpec()
                .build();
        try {
            client.services().inNamespace(namespace).resource(service).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created concurrently (a previous leader's last act): the next reconcile compares and edits it.
        }
    }

    private static boolean samePort(Service existing, ServicePort want) {
        List<ServicePort> ports = existing.getSpec().getPorts();
        return ports != null && ports.size() == 1 && Objects.equals(ports.getFirst().getPort(), want.getPort())
                && Objects.equals(ports.getFirst().getTargetPort(), want.getTargetPort());
    }

    @Override
    public void unpublish(String appId) {
        client.services().inNamespace(namespace).withName(AppIds.serviceName(appId)).delete();
    }
}
