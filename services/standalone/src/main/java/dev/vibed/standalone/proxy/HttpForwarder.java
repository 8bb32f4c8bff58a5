package dev.vibed.standalone.proxy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forwards one HTTP/1.1 exchange to an app over a pooled keep-alive connection. Bodies stream both ways through one
 * buffer; a small body of known length goes out in one write; the client's side is flushed only when the app has
 * nothing more buffered, so streamed answers (SSE, long polls) arrive as written and ordinary ones in one packet.
 */
final class HttpForwarder {
    /** Bodies up to this size with a known length are read whole and answered in one write. */
    private static final int WHOLE_BODY_LIMIT = 64 * 1024;
    private static final int BUFFER = 16 * 1024;

    private final UpstreamPool pool;

    HttpForwarder(UpstreamPool pool) {
        this.pool = pool;
    }

    /** Thrown when the app could not be reached or gave no usable answer, before anything was sent to the client. */
    static final class UpstreamFailure extends Exception {
        UpstreamFailure(String message) {
            super(message);
        }
    }

    void forward(RoutingRequest req, RoutingResponse res, String target, String host) throws UpstreamFailure {
        Method method = req.prologue().method();
        boolean hasBody = req.content().hasEntity();
        long length = hasBody ? req.headers().contentLength().orElse(-1L) : 0;
        byte[] head = requestHead(req, host, hasBody, length);

        UpstreamConnection c = pool.pooled(target);
        boolean reused = c != null;
        Exchange ex;
        try {
            if (c == null) {
                c = pool.open(target);
            }
            ex = exchange(c, head, req, hasBody, length);
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            if (!reused || hasBody) {
                throw new UpstreamFailure(describe(e));
            }
            // The app may have closed this idle connection as we sent on it: one retry on a fresh one, only for a
            // request whose body (none) cannot have been half consumed.
            try {
                c = pool.open(target);
                ex = exchange(c, head, req, false, 0);
            } catch (IOException again) {
                if (c != null) {
                    c.close();
                }
                throw new UpstreamFailure(describe(again));
            }
        }
        relay(ex, c, res, method == Method.HEAD);
    }

    /**
     * The app's answer, and the thread still sending a large request body, if any: apps such as an echo answer while
     * they read, so a big body goes out beside the relay of the answer, never before it.
     */
    private record Exchange(ResponseHead head, Thread bodySender, AtomicBoolean bodySent) {
        /** Whether the whole request reached the app, so the connection can carry another exchange. */
        boolean requestComplete() throws InterruptedException {
            if (bodySender != null) {
                bodySender.join(Duration.ofSeconds(1));
            }
            return bodySent.get();
        }
    }

    private static Exchange exchange(UpstreamConnection c, byte[] head, RoutingRequest req, boolean hasBody, long length)
            throws IOException {
        OutputStream out = c.out();
        AtomicBoolean sent = new AtomicBoolean(!hasBody);
        Thread sender = null;
        if (!hasBody || (length >= 0 && length <= WHOLE_BODY_LIMIT)) {
            try {
                out.write(head);
                if (hasBody) {
                    copyRequestBody(req.content().inputStream(), out, length);
                }
                out.flush();
                sent.set(true);
            } catch (IOException e) {
                // An app may answer (413, 401) without reading the body and close; that answer is still worth relaying.
                try {
                    return checked(new Exchange(c.readHead(), null, new AtomicBoolean(false)));
                } catch (IOException none) {
                    throw e;
                }
            }
        } else {
            out.write(head);
            sender = Thread.ofVirtual().name("proxy-body").start(() -> {
                try {
                    copyRequestBody(req.content().inputStream(), out, length);
                    out.flush();
                    sent.set(true);
                } catch (IOException | RuntimeException e) {
                    // the app stopped reading or the client stopped sending: the connection is not reused
                }
            });
        }
        return checked(new Exchange(c.readHead(), sender, sent));
    }

    private static Exchange checked(Exchange ex) throws IOException {
        if (ex.head().status() == 101) {
            throw new IOException("the app switched protocols on a request that asked for none");
        }
        return ex;
    }

    private static void copyRequestBody(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[BUFFER];
        if (length >= 0) {
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("the client sent less than its content-length");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            return;
        }
        ChunkedOutput chunks = new ChunkedOutput(out);
        int n;
        while ((n = in.read(buf)) >= 0) {
            chunks.write(buf, 0, n);
            if (in.available() == 0) {
                out.flush();
            }
        }
        chunks.finish();
    }

    /**
     * Sends the app's answer on. If the app's side fails before any of it reached the client, the answer becomes the
     * caller's 502 ({@link UpstreamFailure}); once it has started, the client's connection is closed, so a cut body
     * reads as cut (a chunked body without its last chunk, a fixed length short of its length), never as complete.
     */
    private void relay(Exchange ex, UpstreamConnection c, RoutingResponse res, boolean headRequest) throws UpstreamFailure {
        boolean streaming = false;
        ResponseHead head = ex.head();
        boolean keepAlive = head.keepAlive();
        res.status(head.reason().isEmpty() ? Status.create(head.status()) : Status.create(head.status(), head.reason()));
        HopByHop hop = HopByHop.of(head.all("connection"));
        for (ResponseHead.Header h : head.headers()) {
            if (!hop.drops(h.name())) {
                res.headers().add(HeaderNames.create(h.name().toLowerCase(Locale.ROOT), h.name()), h.value());
            }
        }
        try {
            if (head.bodiless(headRequest)) {
                finish(c, keepAlive, ex);
                res.send();
                return;
            }
            long length = head.chunked() ? -1 : head.contentLength();
            if (length >= 0 && length <= WHOLE_BODY_LIMIT) {
                byte[] body = c.in().readNBytes((int) length);
                if (body.length < length) {
                    throw new IOException("the app closed the connection before the end of its body");
                }
                finish(c, keepAlive, ex);
                res.send(body);
                return;
            }
            InputStream body;
            if (head.chunked()) {
                body = new ChunkedBody(c.in());
            } else if (length >= 0) {
                body = new FixedLengthBody(c.in(), length);
                res.headers().contentLength(length);
            } else {
                body = c.in(); // delimited by the app closing the connection
                keepAlive = false;
            }
            streaming = true;
            try (OutputStream out = res.outputStream()) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = body.read(buf)) >= 0) {
                    if (n == 0) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    if (body.available() == 0) {
                        out.flush();
                    }
                }
                finish(c, keepAlive, ex);
            }
            // Closing the stream only marks the answer done; the proxy runs in a filter, which must commit it
            // before it returns (Helidon checks that a filter either proceeded or sent its answer).
            res.commit();
        } catch (IOException | RuntimeException | InterruptedException e) {
            // The client or the app went away mid-answer: this connection is not reusable.
            c.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!streaming && res.reset()) {
                throw new UpstreamFailure(describe(e));
            }
            throw new CloseConnectionException("the answer was cut: " + describe(e), e);
        }
    }

    private void finish(UpstreamConnection c, boolean keepAlive, Exchange ex) throws InterruptedException {
        if (keepAlive && ex.requestComplete()) {
            pool.release(c);
        } else {
            c.close();
        }
    }

    private static byte[] requestHead(RoutingRequest req, String host, boolean hasBody, long length) {
        StringBuilder sb = new StringBuilder(512);
        String query = req.query().rawValue();
        sb.append(req.prologue().method().text()).append(' ').append(req.path().rawPath());
        if (!query.isEmpty()) {
            sb.append('?').append(query);
        }
        sb.append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        HopByHop hop = HopByHop.of(req.headers().all(HeaderNames.CONNECTION, java.util.List::of));
        req.headers().forEach(h -> {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (!hop.drops(lower) && !lower.equals("host") && !lower.startsWith("x-forwarded-")) {
                for (String v : h.allValues()) {
                    sb.append(h.name()).append(": ").append(v).append("\r\n");
                }
            }
        });
        sb.append("X-Forwarded-Host: ").append(host).append("\r\n");
        sb.append("X-Forwarded-Proto: http\r\n");
        sb.append("X-Forwarded-For: ").append(req.remotePeer().host()).append("\r\n");
        if (hasBody) {
            sb.append(length >= 0 ? "Content-Length: " + length : "Transfer-Encoding: chunked").append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
