package dev.vibed.api.graphql.stream;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A single-subscriber Reactive Streams publisher fed by a blocking producer: the facade's watch and log follow
 * each push from a thread of their own. {@link #emit} waits for demand, so a reader that falls behind holds back
 * only its own producer (the watch's mailbox then keeps the latest state per app; a log follow waits at the
 * agent), and nobody else is slowed. Cancelling, or the subscriber never coming, ends the producer through
 * {@code onCancel}.
 */
public final class SinkPublisher<T> implements Publisher<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demandArrived = lock.newCondition();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final Runnable onStart;
    private final Runnable onCancel;
    private long demand;
    private boolean cancelled;
    private boolean done;
    private Subscriber<? super T> subscriber;

    /**
     * @param onStart  runs once the subscriber is attached (for a producer that starts only then)
     * @param onCancel releases the producer; runs once, on cancel or when the stream ends
     */
    public SinkPublisher(Runnable onStart, Runnable onCancel) {
        this.onStart = onStart;
        this.onCancel = onCancel;
    }

    @Override
    public void subscribe(Subscriber<? super T> s) {
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(new Subscription() {
                public void request(long n) {
                }

                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("this stream has a subscriber already"));
            return;
        }
        lock.lock();
        try {
            subscriber = s;
        } finally {
            lock.unlock();
        }
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                lock.lock();
                try {
                    demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    demandArrived.signalAll();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void cancel() {
                SinkPublisher.this.cancel();
            }
        });
        onStart.run();
    }

    /** Hands one item on, waiting for demand; false once the stream is cancelled (the producer should stop). */
    public boolean emit(T item) {
        Subscriber<? super T> s;
        lock.lock();
        try {
            while ((subscriber == null || demand == 0) && !cancelled && !done) {
                demandArrived.await();
            }
            if (cancelled || done) {
                return false;
            }
            demand--;
            s = subscriber;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
        s.onNext(item);
        return true;
    }

    public void complete() {
        Subscriber<? super T> s = finish();
        if (s != null) {
            s.onComplete();
        }
    }

    public void fail(Throwable error) {
        Subscriber<? super T> s = finish();
        if (s != null) {
            s.onError(error);
        }
    }

    public void cancel() {
        lock.lock();
        try {
            if (cancelled || done) {
                return;
            }
            cancelled = true;
            demandArrived.signalAll();
        } finally {
            lock.unlock();
        }
        onCancel.run();
    }

    public boolean cancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    private Subscriber<? super T> finish() {
        lock.lock();
        try {
            if (cancelled || done) {
                return null;
            }
            done = true;
            demandArrived.signalAll();
        } finally {
            lock.unlock();
        }
        onCancel.run();
        return subscriber;
    }
}
