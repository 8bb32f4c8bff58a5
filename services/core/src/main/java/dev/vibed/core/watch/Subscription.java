package dev.vibed.core.watch;

import dev.vibed.core.access.Caller;
import dev.vibed.core.app.App;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One live watch: a mailbox that holds at most one pending change per app (a newer state replaces an older one, so
 * it is bounded by the number of apps the caller may see) and a virtual thread that hands changes to the sink.
 * Closing it stops delivery; the sink is never called after {@link #close()} returns on the delivery thread.
 */
public final class Subscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Subscription.class.getName());

    private final Caller caller;
    private final String appId;
    private final Consumer<AppChange> sink;
    private final Consumer<Subscription> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pending = lock.newCondition();
    private final Map<String, AppChange> mailbox = new LinkedHashMap<>();
    private volatile boolean closed;
    private Thread delivery;

    Subscription(Caller caller, String appId, Consumer<AppChange> sink, Consumer<Subscription> onClose) {
        this.caller = caller;
        this.appId = appId;
        this.sink = sink;
        this.onClose = onClose;
    }

    boolean admits(App app) {
        return (appId == null || appId.equals(app.id())) && caller.mayAccess(app.spec().owner());
    }

    void offer(String id, AppChange change) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            AppChange older = mailbox.remove(id);
            // A snapshot entry that is replaced by a live change stays marked as part of the snapshot only if the
            // reader has not seen the app yet; the live state is what matters, so the newest change wins.
            mailbox.put(id, older != null && older.snapshot() && !change.removed()
                    ? AppChange.updated(change.app(), true) : change);
            pending.signal();
        } finally {
            lock.unlock();
        }
    }

    void start() {
        delivery = Thread.ofVirtual().name("watch-" + caller.subject()).start(this::deliver);
    }

    private void deliver() {
        while (!closed) {
            AppChange next;
            lock.lock();
            try {
                while (mailbox.isEmpty() && !closed) {
                    pending.await();
                }
                if (closed) {
                    return;
                }
                var first = mailbox.entrySet().iterator().next();
                mailbox.remove(first.getKey());
                next = first.getValue();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                sink.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "a watch sink failed; ending its subscription", e);
                close();
            }
        }
    }

    /** Changes waiting to be delivered (for metrics and tests of slow readers). */
    public int backlog() {
        lock.lock();
        try {
            return mailbox.size();
        } finally {
            lock.unlock();
        }
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            mailbox.clear();
            pending.signalAll();
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
        Thread t = delivery;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }
}
