package dev.vibed.kube.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of one kind of object in the workloads namespace, from wherever the component keeps them: the controller
 * answers from its informer caches (so a reconcile pass makes no LIST and is woken by the watch instead of a
 * poll), the API server's one-off lookups ask the API directly ({@link #direct}).
 */
public interface ObjectReads<T extends HasMetadata> {

    Optional<T> get(String name);

    /** The objects carrying every one of {@code labels} (all of them for an empty map). */
    List<T> withLabels(Map<String, String> labels);

    /** Straight to the API server: a GET or a LIST per call. */
    static <T extends HasMetadata> ObjectReads<T> direct(KubernetesClient client, String namespace, Class<T> type) {
        return new ObjectReads<>() {
            @Override
            public Optional<T> get(String name) {
                return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
            }

            @Override
            public List<T> withLabels(Map<String, String> labels) {
                return client.resources(type).inNamespace(namespace).withLabels(labels).list().getItems();
            }
        };
    }

    /** Whether {@code object} carries every one of {@code labels}; for caches that filter in memory. */
    static boolean carries(HasMetadata object, Map<String, String> labels) {
        Map<String, String> own = object.getMetadata().getLabels();
        return labels.isEmpty() || own != null && own.entrySet().containsAll(labels.entrySet());
    }
}
