package dev.vibed.kube.cache;

import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxClaim;
import dev.vibed.kube.agentsandbox.SandboxTemplate;
import dev.vibed.kube.agentsandbox.SandboxWarmPool;
import dev.vibed.kube.model.VibedApp;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

/**
 * The objects a reconcile pass reads about an app and its sandbox (the VibedApp, its claims, their sandboxes and pods, its Service, the
 * templates and warm pools), and how long a pass that waits on one of them may sleep.
 *
 * @param recheck null when the reads are direct and nothing wakes the caller (it polls as before); otherwise the
 *                reads come from watched caches whose events wake the app's reconcile, and this is only the
 *                safety net after which a waiting app is looked at anyway
 */
public record ClusterReads(ObjectReads<VibedApp> apps, ObjectReads<SandboxClaim> claims, ObjectReads<Sandbox> sandboxes, ObjectReads<Pod> pods,
                           ObjectReads<Service> services, ObjectReads<SandboxTemplate> templates,
                           ObjectReads<SandboxWarmPool> warmPools, Duration recheck) {

    public static ClusterReads direct(KubernetesClient client, String namespace) {
        return new ClusterReads(ObjectReads.direct(client, namespace, VibedApp.class),
                ObjectReads.direct(client, namespace, SandboxClaim.class),
                ObjectReads.direct(client, namespace, Sandbox.class), ObjectReads.direct(client, namespace, Pod.class),
                ObjectReads.direct(client, namespace, Service.class), ObjectReads.direct(client, namespace, SandboxTemplate.class),
                ObjectReads.direct(client, namespace, SandboxWarmPool.class), null);
    }

    /** Whether these reads are caches behind the objects' events (an object missing may just not be seen yet). */
    public boolean watched() {
        return recheck != null;
    }
}
