package dev.vibed.standalone;

import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.StandaloneServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded proxy's data path against a real Node app in a real sandbox: upstream keep-alive, SSE that streams,
 * large bodies both ways (fixed length, chunked, and an echo that answers while it reads) and WebSocket pass-through.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyDataPathTest {
    private static final int BIG = 24 * 1024 * 1024 + 13;

    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.with(Set.of("node"));
    static String host;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void deployTheApp() throws IOException {
        String source;
        try (InputStream in = ProxyDataPathTest.class.getResourceAsStream("/apps/data-path-server.js")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] app = TarGz.create()
                .file("package.json", "{\"name\":\"data-path\",\"version\":\"1.0.0\",\"main\":\"server.js\"}")
                .file("server.js", source)
                .bytes();
        Http.Response res = server.http().deploy(app, "{\"name\":\"data-path\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        host = URI.create(res.json().getString("url")).getAuthority();
    }

    @Test
    void sequentialRequestsReuseOneUpstreamConnectionAndKeepTheHost() throws Exception {
        Set<Integer> connections = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            JsonObject seen = Jsons.parseObject(get("/conn?i=" + i).body());
            connections.add(seen.getInt("connection"));
            assertThat(seen.getString("host")).isEqualTo(host);
            assertThat(seen.getString("forwardedHost")).isEqualTo(host);
            assertThat(seen.getString("query")).isEqualTo("?i=" + i);
        }
        assertThat(connections).as("upstream connections used by 20 sequential requests").hasSize(1);
    }

    @Test
    void concurrentRequestsAreServedOverAFewPooledConnections() throws Exception {
        Set<Integer> connections = Collections.synchronizedSet(new HashSet<>());
        for (int round = 0; round < 10; round++) {
            CompletableFuture<?>[] all = new CompletableFuture<?>[8];
            for (int i = 0; i < all.length; i++) {
                all[i] = client.sendAsync(request("/conn").GET().build(), HttpResponse.BodyHandlers.ofString())
                        .thenAccept(r -> connections.add(Jsons.parseObject(r.body()).getInt("connection")));
            }
            CompletableFuture.allOf(all).join();
        }
        assertThat(connections).as("upstream connections for 80 requests, 8 at a time").isNotEmpty().hasSizeLessThanOrEqualTo(16);
    }

    @Test
    void serverSentEventsReachTheClientWhileTheStreamIsOpen() throws Exception {
        HttpResponse<InputStream> stream = client.send(request("/sse").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // The second event is only written after this client asks for it, so reading the first proves it was
            // forwarded while the answer was still open, not buffered until its end.
            assertThat(lines.readLine()).isEqualTo("data: one");
            assertThat(lines.readLine()).isEmpty();
            assertThat(get("/release").body()).isEqualTo("released");
            assertThat(lines.readLine()).isEqualTo("data: two");
            assertThat(lines.readLine()).isEmpty();
            assertThat(lines.readLine()).isNull();
        }
    }

    @Test
    void largeDownloadsArriveWholeWithAndWithoutALength() throws Exception {
        String expected = sha256(pattern(BIG));
        HttpResponse<InputStream> fixed = client.send(request("/big?n=" + BIG).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(fixed.headers().firstValueAsLong("content-length")).hasValue(BIG);
        assertThat(sha256(fixed.body())).isEqualTo(expected);

        HttpResponse<InputStream> chunked = client.send(request("/big?chunked=1&n=" + BIG).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(chunked.headers().firstValue("content-length")).isEmpty();
        assertThat(sha256(chunked.body())).isEqualTo(expected);
    }

    @Test
    void anAppThatDiesBeforeItsShortAnswerIsCompleteGetsA502AndTheProxyGoesOnServing() throws Exception {
        HttpResponse<String> cut = get("/cut?announce=1000&n=10");
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(502);
        assertThat(cut.body()).contains("The app did not answer.");
        assertThat(Jsons.parseObject(get("/conn").body()).getString("host")).isEqualTo(host);
    }

    @Test
    void anAnswerCutMidStreamReachesTheClientAsCutNeverAsComplete() throws Exception {
        for (String path : new String[] {"/cut?chunked=1&n=300000", "/cut?announce=" + BIG + "&n=300000"}) {
            HttpResponse<InputStream> started = client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(started.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> started.body().readAllBytes()).as(path).isInstanceOf(IOException.class);
        }
        assertThat(Jsons.parseObject(get("/conn").body()).getString("host")).isEqualTo(host);
    }

    @Test
    void largeUploadsArriveWholeWithAndWithoutALength() throws Exception {
        byte[] body = pattern(BIG);
        String expected = sha256(body);
        JsonObject fixed = Jsons.parseObject(client.send(request("/digest")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(fixed.getInt("bytes")).isEqualTo(BIG);
        assertThat(fixed.getString("sha256")).isEqualTo(expected);
        assertThat(fixed.getBoolean("chunked")).isFalse();

        JsonObject chunked = Jsons.parseObject(client.send(request("/digest")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(chunked.getInt("bytes")).isEqualTo(BIG);
        assertThat(chunked.getString("sha256")).isEqualTo(expected);
        assertThat(chunked.getBoolean("chunked")).isTrue();
    }

    @Test
    void anEchoThatAnswersWhileItReadsDoesNotDeadlock() throws Exception {
        // curl, because it reads the answer while it uploads, as browsers do; the JDK client only reads after sending.
        byte[] body = pattern(BIG);
        Path upload = server.data().resolve("echo-upload.bin");
        Path download = server.data().resolve("echo-download.bin");
        java.nio.file.Files.write(upload, body);
        Process curl = new ProcessBuilder("curl", "-sS", "--fail", "-m", "60", "-H", "Host: " + host,
                "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + upload, "-o", download.toString(),
                "http://127.0.0.1:" + server.standalone().port() + "/echo")
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl: " + output).isZero();
        assertThat(sha256(java.nio.file.Files.newInputStream(download))).isEqualTo(sha256(body));
    }

    @Test
    void bodilessAnswersAndHeadRequestsKeepTheConnectionUsable() throws Exception {
        assertThat(client.send(request("/empty").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        HttpResponse<String> head = client.send(request("/big?n=1000").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(get("/missing").statusCode()).isEqualTo(404);
        assertThat(Jsons.parseObject(get("/conn").body()).getString("host")).isEqualTo(host);
    }

    @Test
    void webSocketsPassThroughToTheApp() throws Exception {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder()
                .header("Host", host)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.standalone().port() + "/socket"), new Collector(received, closed))
                .get(10, TimeUnit.SECONDS);

        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo:hello");

        byte[] blob = pattern(300_000);
        ws.sendBinary(ByteBuffer.wrap(blob), true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(HexFormat.of().formatHex(sha256Bytes(blob)));

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        // The proxy's own routes still answer on new connections afterwards.
        assertThat(get("/conn").statusCode()).isEqualTo(200);
    }

    @Test
    void aWebSocketToAnUnknownAppHostIsRefusedWithA404() {
        CompletableFuture<WebSocket> ws = client.newWebSocketBuilder()
                .header("Host", "nosuchapp0000.localhost:" + server.standalone().port())
                .buildAsync(URI.create("ws://127.0.0.1:" + server.standalone().port() + "/socket"), new Collector(new LinkedBlockingQueue<>(), new CompletableFuture<>()))
                .toCompletableFuture();
        assertThatThrownBy(() -> ws.get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    /** Text messages are queued as they are; binary ones as the hex sha256 of the whole message. */
    private record Collector(LinkedBlockingQueue<Object> received, CompletableFuture<Integer> closed) implements WebSocket.Listener {
        private static final ThreadLocal<StringBuilder> TEXT = ThreadLocal.withInitial(StringBuilder::new);

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            StringBuilder sb = TEXT.get().append(data);
            if (last) {
                received.add(sb.toString());
                TEXT.remove();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            BinaryParts.add(data);
            if (last) {
                received.add(HexFormat.of().formatHex(sha256Bytes(BinaryParts.take())));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /** Parts of the binary message being received (one message at a time in these tests). */
    private static final class BinaryParts {
        private static final java.io.ByteArrayOutputStream PARTS = new java.io.ByteArrayOutputStream();

        static synchronized void add(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            PARTS.writeBytes(b);
        }

        static synchronized byte[] take() {
            byte[] all = PARTS.toByteArray();
            PARTS.reset();
            return all;
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.standalone().port() + path))
                .timeout(Duration.ofSeconds(60)).header("Host", host);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The app's byte pattern: byte i is (i * 31 + 7) mod 256. */
    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha256Bytes(b));
    }

    private static byte[] sha256Bytes(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
