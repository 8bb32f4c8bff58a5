package dev.vibed.standalone.graphql;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The JDK's WebSocket client speaking graphql-transport-ws by hand, for what a well-behaved client never sends:
 * protocol violations, raw pings, many operations on one socket.
 */
final class RawGraphQlSocket implements AutoCloseable {
    record Closed(int code, String reason) {
    }

    private final WebSocket socket;
    private final List<JsonObject> received = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    private RawGraphQlSocket(URI api, String origin, String authorization, String... subprotocols) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        StringBuilder partial = new StringBuilder();
        socket = b.buildAsync(URI.create("ws://" + api.getHost() + ":" + api.getPort() + "/graphql"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    synchronized (received) {
                        received.add(Jsons.parseObject(partial.toString()));
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        }).join();
    }

    static RawGraphQlSocket open(URI api) {
        return new RawGraphQlSocket(api, null, null, "graphql-transport-ws");
    }

    static RawGraphQlSocket openWith(URI api, String origin, String authorization, String... subprotocols) {
        return new RawGraphQlSocket(api, origin, authorization, subprotocols);
    }

    RawGraphQlSocket send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    RawGraphQlSocket init(String token) {
        send("{\"type\":\"connection_init\",\"payload\":{\"token\":\"" + token + "\"}}");
        awaitMessage("connection_ack", null);
        return this;
    }

    RawGraphQlSocket subscribe(String id, String query) {
        return send(jakarta.json.Json.createObjectBuilder().add("id", id).add("type", "subscribe")
                .add("payload", jakarta.json.Json.createObjectBuilder().add("query", query)).build().toString());
    }

    List<JsonObject> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    JsonObject awaitMessage(String type, String id) {
        JsonObject[] found = new JsonObject[1];
        await().atMost(Duration.ofSeconds(20)).alias(type + " " + id + "; got " + received()).until(() -> {
            for (JsonObject m : received()) {
                if (m.getString("type").equals(type) && (id == null || id.equals(m.getString("id", null)))) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** The type of the first answer (next, error or complete) to operation {@code id}. */
    String awaitOutcome(String id) {
        String[] type = new String[1];
        await().atMost(Duration.ofSeconds(20)).alias("an answer to " + id + "; got " + received()).until(() -> {
            for (JsonObject m : received()) {
                if (id.equals(m.getString("id", null))) {
                    type[0] = m.getString("type");
                    return true;
                }
            }
            return false;
        });
        return type[0];
    }

    Closed awaitClose() {
        try {
            return closed.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the socket; got " + received(), e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
