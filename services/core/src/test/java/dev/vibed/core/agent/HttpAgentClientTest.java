package dev.vibed.core.agent;

import com.sun.net.httpserver.HttpServer;
import dev.vibed.core.json.Jsons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client puts on the wire for an agent: the real JDK client against a real HTTP server. */
class HttpAgentClientTest {
    final List<String> auth = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/inject", ex -> {
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            AgentStatus s = new AgentStatus(AgentState.RUNNING, 7, 0, null, 8080, "boot-1", "app-v1", true, null, null);
            byte[] out = jakarta.json.Json.createObjectBuilder(s.toJson()).add("waitedMs", 12).build().toString()
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(202, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anInjectThatWaitsCarriesTheRequestAndReadsTheStartFromTheAnswer() throws Exception {
        var client = new HttpAgentClient(Duration.ofSeconds(5));
        var agent = new AgentClient.Endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "t");
        InjectRequest req = new InjectRequest("http://blobs/x", "ab".repeat(32), Map.of("GREETING", "hi"), null, 8080,
                "node", "", "app-v1");

        var answer = client.injectAndAwait(agent, req, Duration.ofSeconds(2));

        assertThat(auth).containsExactly("Bearer t");
        assertThat(Jsons.parseObject(bodies.getFirst())).isEqualTo(req.toJson());
        assertThat(answer).get().satisfies(a -> {
            assertThat(a.status().listening()).isTrue();
            assertThat(a.waited()).isEqualTo(Duration.ofMillis(12));
        });
    }
}
