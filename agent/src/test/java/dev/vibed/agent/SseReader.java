package dev.vibed.agent;

import dev.vibed.agent.testing.TestAgent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** Reads an SSE stream with java.net.http, collecting its {@code data:} payloads as they arrive. */
final class SseReader implements AutoCloseable {
    private final HttpResponse<Stream<String>> response;
    private final List<String> data = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private SseReader(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(l -> {
                    if (l.startsWith("data: ")) {
                        data.add(l.substring(6));
                    } else if (l.startsWith(":")) {
                        comments.add(l);
                    }
                });
            } catch (UncheckedIOException e) {
                // Closed by us.
            }
        });
    }

    static SseReader open(TestAgent agent, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(agent.handle().controlUri().resolve(path))
                .header("Authorization", "Bearer " + agent.token())
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> r = agent.http().send(req, HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new AssertionError("SSE answered " + r.statusCode());
        }
        return new SseReader(r);
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    List<String> data() {
        return List.copyOf(data);
    }

    List<String> comments() {
        return List.copyOf(comments);
    }

    String awaitData(Predicate<String> match) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> data.stream().anyMatch(match));
        return data.stream().filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
