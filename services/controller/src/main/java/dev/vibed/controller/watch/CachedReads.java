package dev.vibed.controller.watch;

import dev.vibed.kube.cache.ObjectReads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link ObjectReads} answered from a java-operator-sdk informer's cache. Lookups by the one label the cache is
 * indexed on (the app label of claims, the name-hash label of pods) go through that index, so they cost the
 * same with 1 app or 10,000; other label lookups filter the cache in memory. Bound to its informer late, since
 * java-operator-sdk creates informers only when the reconciler is registered; until then a read is an error.
 */
final class CachedReads<T extends HasMetadata> implements ObjectReads<T> {
    private final String namespace;
    private final String indexedLabel;
    private volatile IndexedResourceCache<T> source;

    CachedReads(String namespace, String indexedLabel) {
        this.namespace = namespace;
        this.indexedLabel = indexedLabel;
    }

    /** An informer event source, or java-operator-sdk's cache of the primary resource. */
    void attach(IndexedResourceCache<T> source) {
        this.source = source;
    }

    @Override
    public java.util.Optional<T> get(String name) {
        return source().get(new ResourceID(name, namespace));
    }

    @Override
    public List<T> withLabels(Map<String, String> labels) {
        if (indexedLabel != null && labels.size() == 1 && labels.containsKey(indexedLabel)) {
            return source().byIndex(indexOf(indexedLabel), labels.get(indexedLabel));
        }
        return source().list(namespace, o -> ObjectReads.carries(o, labels)).toList();
    }

    List<T> byIndex(String index, String key) {
        return source().byIndex(index, key);
    }

    static String indexOf(String label) {
        return "label:" + label;
    }

    static <T extends HasMetadata> Function<T, List<String>> labelIndex(String label) {
        return o -> {
            Map<String, String> labels = o.getMetadata().getLabels();
            String value = labels == null ? null : labels.get(label);
            return value == null ? List.of() : List.of(value);
        };
    }

    private IndexedResourceCache<T> source() {
        IndexedResourceCache<T> s = source;
        if (s == null) {
            throw new IllegalStateException("the informer is not registered yet");
        }
        return s;
    }
}
