package dev.vibed.api.graphql.ws;

import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything one socket sends goes through here, written by one virtual thread of its own, so a client that
 * stops reading blocks only that thread: never the facade's watch threads, the agent's log stream or another
 * socket. Producers stop (by demand) above the high-water mark; a socket whose queue still overflows, or whose
 * one write stays blocked longer than the stall timeout, is dropped as a slow consumer.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    private sealed interface Frame permits Text, Close {
    }

    private record Text(String text) implements Frame {
    }

    private record Close(int code, String reason) implements Frame {
    }

    private final WsSession session;
    private final int highWater;
    private final int max;
    private final long stallNanos;
    private final Runnable onEnd;
    private final LinkedBlockingDeque<Frame> queue = new LinkedBlockingDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> whenDrained = new ArrayList<>();
    private volatile boolean closing;
    private volatile long writingSince;
    private final Thread writer;

    Outbox(WsSession session, int highWater, int max, java.time.Duration stall, Runnable onEnd) {
        this.session = session;
        this.highWater = highWater;
        this.max = max;
        this.stallNanos = stall.toNanos();
        this.onEnd = onEnd;
        this.writer = Thread.ofVirtual().name("graphql-ws-writer").start(this::write);
    }

    /** Queues a message; false when the socket is closing (the caller stops producing). */
    boolean send(String text) {
        if (closing) {
            return false;
        }
        if (queue.size() >= max) {
            drop("the socket fell " + max + " messages behind");
            return false;
        }
        queue.add(new Text(text));
        return true;
    }

    /** Runs {@code resume} once the queue is below the high-water mark (now, if it already is). */
    void whenWritable(Runnable resume) {
        lock.lock();
        try {
            if (queue.size() >= highWater && !closing) {
                whenDrained.add(resume);
                return;
            }
        } finally {
            lock.unlock();
        }
        resume.run();
    }

    /** Sends what is queued, then closes with {@code code}; nothing queued later is sent. */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(new Close(code, reason));
    }

    /** Drops what is queued and closes at once: a reader this far behind would only fall further. */
    void drop(String why) {
        if (closing) {
            return;
        }
        LOG.info("dropping a GraphQL WebSocket as a slow consumer: " + why);
        closing = true;
        queue.clear();
        queue.addFirst(new Close(CloseCodes.SLOW_CONSUMER, "slow consumer"));
    }

    /** Called by a timer: a write blocked too long means the peer stopped reading; cut the socket. */
    void checkStall(long now) {
        long since = writingSince;
        if (since != 0 && now - since > stallNanos) {
            LOG.info("dropping a GraphQL WebSocket as a slow consumer: one write blocked for more than "
                    + stallNanos / 1_000_000 + " ms");
            closing = true;
            queue.clear();
            cutSocket();
            writer.interrupt();
        }
    }

    /**
     * Closes the TCP connection under the socket without writing to it. {@code WsSession.terminate()} would first
     * try to send a close frame, which blocks behind the very write that is stuck (and would block the timer).
     */
    private void cutSocket() {
        try {
            if (session.socketContext() instanceof ConnectionContext connection) {
                connection.serverSocket().close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cutting a stalled GraphQL WebSocket failed", e);
        }
    }

    int size() {
        return queue.size();
    }

    private void write() {
        try {
            while (true) {
                Frame frame = queue.take();
                writingSince = System.nanoTime();
                try {
                    if (frame instanceof Close c) {
                        session.close(c.code(), c.reason());
                        return;
                    }
                    session.send(((Text) frame).text(), true);
                } finally {
                    writingSince = 0;
                }
                if (queue.size() < highWater) {
                    resumeProducers();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "a GraphQL WebSocket write failed; the socket is gone", e);
            closing = true;
        } finally {
            queue.clear();
            onEnd.run();
        }
    }

    private void resumeProducers() {
        List<Runnable> ready;
        lock.lock();
        try {
            if (whenDrained.isEmpty()) {
                return;
            }
            ready = new ArrayList<>(whenDrained);
            whenDrained.clear();
        } finally {
            lock.unlock();
        }
        ready.forEach(Runnable::run);
    }
}
