package dev.vibed.api.mcp;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One HTTP exchange of a session-era session, as the SDK's per-stream transport. A POST is answered as plain JSON
 * when the first thing to send is the response (list calls, pings), and turns into an SSE stream as soon as a
 * notification (progress) or a keep-alive comes first. A GET is SSE from the start. Writes come from the handler
 * thread and the keep-alive timer, so they are serialised with a lock (not {@code synchronized}, which would pin
 * the virtual thread). Helidon ends the response when the handler returns, so the handler waits for
 * {@link #awaitClose()}.
 */
final class ExchangeStream implements McpStreamableServerTransport {
    private static final AtomicLong EVENT_IDS = new AtomicLong();

    private final ServerResponse res;
    private final boolean jsonAllowed;
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch done = new CountDownLatch(1);
    private OutputStream sse;
    private boolean answered;
    private volatile boolean closed;

    ExchangeStream(ServerResponse res, boolean jsonAllowed) {
        this.res = res;
        this.jsonAllowed = jsonAllowed;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> write(message, messageId));
    }

    private void write(McpSchema.JSONRPCMessage message, String messageId) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            String json = McpJson.write(message);
            if (sse == null && jsonAllowed && message instanceof McpSchema.JSONRPCResponse) {
                res.status(Status.OK_200);
                res.header(HeaderValues.CONTENT_TYPE_JSON);
                res.send(json.getBytes(StandardCharsets.UTF_8));
                answered = true;
                return;
            }
            String id = messageId != null ? messageId : Long.toString(EVENT_IDS.incrementAndGet());
            frame("id: " + id + "\nevent: message\ndata: " + json + "\n\n");
        } catch (IOException | UncheckedIOException e) {
            close();
            throw new UncheckedIOException("the client went away", e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        } finally {
            lock.unlock();
        }
    }

    /** Sends the SSE headers now (a GET stream), so the client knows the stream is open. */
    void open() throws IOException {
        lock.lock();
        try {
            frame(": open\n\n");
        } finally {
            lock.unlock();
        }
    }

    /** A keep-alive comment; false once the stream is closed or the write failed (the client went away). */
    boolean keepAlive() {
        lock.lock();
        try {
            if (closed || answered) {
                return false;
            }
            frame(": keepalive\n\n");
            return true;
        } catch (IOException | UncheckedIOException e) {
            close();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void frame(String text) throws IOException {
        if (sse == null) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache, no-transform");
            res.header(HeaderNames.create("X-Accel-Buffering"), "no");
            sse = res.outputStream();
        }
        sse.write(text.getBytes(StandardCharsets.UTF_8));
        sse.flush();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return McpJson.MAPPER.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (sse != null) {
                try {
                    sse.close();
                } catch (IOException ignored) {
                    // the client is gone already
                }
            }
        } finally {
            lock.unlock();
            done.countDown();
        }
    }

    /** Called by the handler before it returns: a POST that produced nothing to send still gets an answer. */
    void finish() {
        lock.lock();
        try {
            if (sse == null && !answered && !res.isSent()) {
                res.status(Status.ACCEPTED_202).send();
                answered = true;
            }
        } finally {
            lock.unlock();
        }
        close();
    }

    boolean isClosed() {
        return closed;
    }

    void awaitClose() throws InterruptedException {
        done.await();
    }
}
