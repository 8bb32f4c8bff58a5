package dev.vibed.controller.publish;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.model.AppOwner;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link AppPublisher} as the per-app Service {@code vibed-app-<id>}: port {@value #SERVICE_PORT} to the app's
 * port on the pod bound to the serving claim, selected by our {@code vibed.dev/claim} label (set through the
 * claim's additionalPodMetadata; agent-sandbox's claim-uid label never reached pods in v0.5.x). Caddy dials the
 * Service, so a pod recreated with a new IP, or a rollout to a new version's pod, never leaves a route stale.
 *
 * <p>{@code publishPodAddress} returns the pod's own {@code ip:appPort} as the route target instead of the
 * Service's DNS name (the Service is still kept). It exists for tests and single-host dev setups where the
 * router's proxy runs outside the cluster network and cannot resolve Service names.
 */
public final class ServicePublisher implements AppPublisher {
    public static final int SERVICE_PORT = 8080;

    private final KubernetesClient client;
    private final String namespace;
    private final String clusterDomain;
    private final boolean publishPodAddress;

    public ServicePublisher(KubernetesClient client, String namespace, String clusterDomain, boolean publishPodAddress) {
        this.client = client;
        this.namespace = namespace;
        this.clusterDomain = clusterDomain;
        this.publishPodAddress = publishPodAddress;
    }

    @Override
    public String publish(App app, SandboxLease lease) throws PublishException {
        String name = AppIds.serviceName(app.id());
        Map<String, String> selector = Map.of(AgentSandbox.CLAIM_LABEL, lease.claimKey());
        ServicePort port = new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(SERVICE_PORT)
                .withTargetPort(new IntOrString(lease.appPort())).build();
        try {
            Service existing = client.services().inNamespace(namespace).withName(name).get();
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
        } catch (KubernetesClientException e) {
            throw new PublishException("Service " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        if (publishPodAddress) {
            String host = lease.appHost().contains(":") ? "[" + lease.appHost() + "]" : lease.appHost();
            return host + ":" + lease.appPort();
        }
        return name + "." + namespace + ".svc." + clusterDomain + ":" + SERVICE_PORT;
    }

    private void create(App app, String name, Map<String, String> selector, ServicePort port) {
        var meta = new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(Map.of(AgentSandbox.APP_LABEL, app.id()));
        AppOwner.lookup(client, namespace, app.id()).ifPresent(meta::withOwnerReferences);
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
