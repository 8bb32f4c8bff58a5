package dev.vibed.standalone;

import dev.vibed.core.testing.RepoRoot;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.StandaloneServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed OpenAPI contract ({@code schema/openapi/vibed-v1.yaml}) against the running API: every documented
 * operation is routed, answers one of its documented statuses, and every error has the {code, message, details} shape.
 */
class RestContractTest {
    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.with(Set.of("static"));

    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationIsServedWithADocumentedAnswer() throws IOException {
        Map<String, Object> spec;
        try (InputStream in = Files.newInputStream(RepoRoot.find().resolve("schema/openapi/vibed-v1.yaml"))) {
            spec = new Yaml().load(in);
        }
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) spec.get("paths");
        List<String> checked = new ArrayList<>();
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            if (method.equals("parameters")) {
                return;
            }
            String url = path.replace("{id}", "aaaaaaaaaaaa");
            Set<String> documented = ((Map<String, Object>) ((Map<String, Object>) op).get("responses")).keySet();
            if (Boolean.TRUE.equals(((Map<String, Object>) op).get("x-vibed-stream"))) {
                // A live stream never ends by itself: check its answer starts as documented, then hang up.
                try (Http.EventStream stream = server.http().stream(url)) {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> stream.status() != 0);
                    assertThat(documented).as(method + " " + path).contains(String.valueOf(stream.status()));
                }
                checked.add(method + " " + path);
                return;
            }
            Http.Response res = server.http().raw(method.toUpperCase(Locale.ROOT), url,
                    method.equals("get") || method.equals("delete") ? null : "application/json",
                    method.equals("get") || method.equals("delete") ? null : "{}".getBytes());
            assertThat(documented).as(method + " " + path + " answered " + res.status() + ": " + res.body())
                    .contains(String.valueOf(res.status()));
            if (res.status() >= 400) {
                JsonObject problem = res.json();
                assertThat(problem.keySet()).as(method + " " + path).contains("code", "message", "details");
                assertThat(problem.getString("message")).doesNotStartWith("no such endpoint");
            }
            checked.add(method + " " + path);
        }));
        assertThat(checked).hasSizeGreaterThan(12);
    }

    @Test
    void anUndocumentedPathIsAJson404() {
        Http.Response res = server.http().get("/v1/nothing-here");
        assertThat(res.status()).isEqualTo(404);
        assertThat(res.json().getString("code")).isEqualTo("not_found");
    }
}
