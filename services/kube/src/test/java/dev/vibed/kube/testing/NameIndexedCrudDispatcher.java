package dev.vibed.kube.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.Value;
import io.fabric8.mockwebserver.http.MockResponse;

import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * fabric8's CRUD dispatcher with one thing a real API server has and the mock lacks: a lookup by name that does not
 * scan the store. The stock dispatcher copies and filters every stored object on each GET, PATCH and PUT of one
 * object, so at a few thousand objects one request costs milliseconds and every benchmark of "N apps present"
 * measures the mock instead of the controller. Everything else (watches, lists, patches, status subresources,
 * resource versions, deletes) is the stock dispatcher's own code.
 *
 * <p>The index maps a name to the store keys that carry it. It is kept from {@link #processEvent}, the one method
 * every write of the stock dispatcher goes through, and each hit is checked against the store, so a stale entry can
 * only make a lookup fall back to the stock scan. If a write's key cannot be found again in the store (a future
 * fabric8 that keys objects differently), the index is abandoned and every lookup scans, as the stock one does:
 * slower, never wrong.
 */
public class NameIndexedCrudDispatcher extends KubernetesCrudDispatcher {
    private final Map<String, Set<AttributeSet>> keysByName = new ConcurrentHashMap<>();
    private final KubernetesAttributesExtractor extractor;
    private final ReadWriteLock lock;
    private volatile boolean abandoned;

    public NameIndexedCrudDispatcher() {
        this.extractor = (KubernetesAttributesExtractor) attributeExtractor;
        this.lock = storeLock(this);
    }

    /** Whether every lookup by name has gone through the index so far (false: it fell back to scanning). */
    public boolean indexed() {
        return !abandoned;
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        String name = nameOf(query);
        if (name == null || abandoned) {
            return super.findResource(query);
        }
        for (AttributeSet key : keysByName.getOrDefault(name, Set.of())) {
            String value = map.get(key);
            if (value != null && key.matches(query)) {
                return Map.entry(key, value);
            }
        }
        return null;
    }

    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = getKey(path);
        if (path.contains("watch=true") || nameOf(query) == null || abandoned) {
            return super.handleGet(path);
        }
        // The same read lock as the stock GET: a write removes the old key before it puts the new one.
        Lock read = lock.readLock();
        read.lock();
        try {
            Map.Entry<AttributeSet, String> found = findResource(query);
            return found == null
                    ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                    : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.getValue());
        } finally {
            read.unlock();
        }
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (oldAttributes != null && !map.containsKey(oldAttributes)) {
            forget(oldAttributes);
        }
        if (newState != null) {
            remember(keyOf(pathAttributes, resource, newState));
        }
    }

    @Override
    public void reset() {
        super.reset();
        keysByName.clear();
    }

    /** The store key the stock {@code processEvent} put the new state under, worked out the same way. */
    private AttributeSet keyOf(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
        AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
        return key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key : AttributeSet.merge(pathAttributes, key);
    }

    private void remember(AttributeSet key) {
        String name = nameOf(key);
        if (name == null || !map.containsKey(key)) {
            abandoned = true;
            return;
        }
        keysByName.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(key);
    }

    private void forget(AttributeSet key) {
        String name = nameOf(key);
        if (name != null) {
            keysByName.computeIfPresent(name, (n, keys) -> {
                keys.remove(key);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    private static String nameOf(AttributeSet attributes) {
        Attribute name = attributes.getAttribute(KubernetesAttributesExtractor.NAME);
        if (name == null || name.getValues().size() != 1) {
            return null;
        }
        Value value = name.getValues().getFirst();
        return value.toString();
    }

    /** The stock dispatcher's store lock, which it keeps private; without it a GET could see a write half done. */
    private static ReadWriteLock storeLock(KubernetesCrudDispatcher dispatcher) {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            field.setAccessible(true);
            return (ReadWriteLock) field.get(dispatcher);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this fabric8 mock server keeps no store lock where NameIndexedCrudDispatcher"
                    + " expects it (KubernetesCrudDispatcher.lock); check it against the fabric8 version in use", e);
        }
    }
}
