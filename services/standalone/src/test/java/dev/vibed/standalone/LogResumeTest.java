package dev.vibed.standalone;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.StandaloneServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Log lines carry sequence numbers, and a follower that reconnects after line N gets N+1 onwards: no gap, no repeat. */
class LogResumeTest {
    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.with(Set.of("node"));

    @Test
    void aFollowerResumesRightAfterTheLastLineItSaw() {
        byte[] app = TarGz.create()
                .file("package.json", "{\"name\":\"ticker\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", """
                        const http = require('http');
                        let n = 0;
                        setInterval(() => console.log('tick ' + (++n)), 50);
                        http.createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1');
                        """)
                .bytes();
        Http.Response res = server.http().deploy(app, "{\"name\":\"ticker\"}");
        assertThat(res.status()).as(res.body()).isIn(200, 202);
        String id = res.json().getString("app_id");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Http.Response logs = server.http().get("/v1/apps/" + id + "/logs?tail=50");
            return logs.status() == 200 && logs.json().getJsonArray("lines").size() >= 10;
        });
        List<JsonObject> lines = server.http().get("/v1/apps/" + id + "/logs?tail=50").json().getJsonArray("lines")
                .getValuesAs(JsonObject.class);
        JsonObject fifth = lines.get(4);
        long seq = fifth.getJsonNumber("seq").longValue();
        assertThat(lines.get(5).getJsonNumber("seq").longValue()).isEqualTo(seq + 1);

        try (Http.EventStream follow = server.http().stream("/v1/apps/" + id + "/logs?follow=true&after=" + seq)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follow.data().size() >= 3);
            List<String> data = follow.data();
            // The first line after the cursor is exactly the next one, and they come in order.
            JsonObject first = jakarta.json.Json.createReader(new java.io.StringReader(data.get(0))).readObject();
            JsonObject second = jakarta.json.Json.createReader(new java.io.StringReader(data.get(1))).readObject();
            assertThat(first.getJsonNumber("seq").longValue()).isEqualTo(seq + 1);
            assertThat(first.getString("line")).isEqualTo(lines.get(5).getString("line"));
            assertThat(second.getJsonNumber("seq").longValue()).isEqualTo(seq + 2);
            assertThat(follow.lines()).contains("id: " + (seq + 1));
        }
    }
}
