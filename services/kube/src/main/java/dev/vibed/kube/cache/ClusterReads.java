package dev.vibed.kube.cache;

import dev.vibed.kube.agentsandbox.SandboxClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

/**
 * The objects a reconcile pass reads about an app's sandbox (its claims, their pods, its Service), and how long a
 * pass that waits on one of them may sleep.
 *
 * @param recheck null when the reads are direct and nothing wakes the caller (it polls as before); otherwise the
 *                reads come from watched caches whose events wake the app's reconcile, and this is only the
 *                safety net after which a waiting app is looked at anyway
 */
public record ClusterReads(ObjectReads<SandboxClaim> claims, ObjectReads<Pod> pods, ObjectReads<Service> services,
                           Duration recheck) {

    public static ClusterReads direct(KubernetesClient client, String namespace) {
        return new ClusterReads(ObjectReads.direct(client, namespace, SandboxClaim.class),
                ObjectReads.direct(client, namespace, Pod.class), ObjectReads.direct(client, namespace, Service.class), null);
    }
}
