package dev.vibed.controller.testing;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.function.Consumer;

/** An informer handler that hands every added or updated object to one consumer, for harnesses that only react to state. */
public final class OnAddOrUpdate<T> implements ResourceEventHandler<T> {
    private final Consumer<T> seen;

    public OnAddOrUpdate(Consumer<T> seen) {
        this.seen = seen;
    }

    @Override
    public void onAdd(T object) {
        seen.accept(object);
    }

    @Override
    public void onUpdate(T before, T after) {
        seen.accept(after);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
    }
}
