package dev.vibed.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerdConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsTheTopLevelKeysOfWranglerToml() throws IOException {
        Files.writeString(dir.resolve("wrangler.toml"), """
                name = "app" # the name
                main = "src/index.ts"
                compatibility_date = '2025-01-15'
                compatibility_flags = ["nodejs_compat", "bad flag"]
                [env.production]
                main = "other.js"
                """);
        var w = WorkerdConfig.Wrangler.read(dir.resolve("wrangler.toml"));
        assertThat(w.main()).hasValue("src/index.ts");
        assertThat(w.compatibilityDate()).hasValue("2025-01-15");
        assertThat(w.compatibilityFlags()).containsExactly("nodejs_compat");
    }

    @Test
    void rendersEveryScriptAsAModuleAndEnvAsEscapedBindings() throws IOException {
        Files.createDirectories(dir.resolve("src/lib"));
        Files.createDirectories(dir.resolve("node_modules/x"));
        Files.writeString(dir.resolve("src/index.js"), "export default {}");
        Files.writeString(dir.resolve("src/lib/a.mjs"), "export const a = 1");
        Files.writeString(dir.resolve("src/lib/b.wasm"), "");
        Files.writeString(dir.resolve("node_modules/x/index.js"), "");
        Files.writeString(dir.resolve("tsconfig.json"), "{ // comments }");
        String config = WorkerdConfig.render(dir, "src/index.js", "2024-09-01", List.of("nodejs_compat"),
                "0.0.0.0", 8080, Map.of("SECRET", "a\"b\\c\nd", "not-an-identifier", "x"));
        assertThat(config)
                .contains("address = \"*:8080\"")
                .contains("(name = \"src/index.js\", esModule = embed \"src/index.js\")")
                .contains("(name = \"src/lib/a.mjs\", esModule = embed \"src/lib/a.mjs\")")
                .contains("(name = \"src/lib/b.wasm\", wasm = embed \"src/lib/b.wasm\")")
                .contains("(name = \"SECRET\", text = \"a\\\"b\\\\c\\nd\")")
                .contains("compatibilityDate = \"2024-09-01\"")
                .contains("compatibilityFlags = [\"nodejs_compat\"]")
                .doesNotContain("node_modules").doesNotContain("tsconfig").doesNotContain("not-an-identifier");
        assertThat(config.indexOf("src/index.js")).isLessThan(config.indexOf("src/lib/a.mjs"));
    }

    @Test
    void serviceWorkerSyntaxIsEmbeddedAsAScript() throws IOException {
        Files.writeString(dir.resolve("worker.js"), "addEventListener('fetch', e => e.respondWith(new Response('x')))");
        String config = WorkerdConfig.render(dir, "worker.js", "2024-09-01", List.of(), "127.0.0.1", 9, Map.of());
        assertThat(config).contains("serviceWorkerScript = embed \"worker.js\"").doesNotContain("modules")
                .contains("address = \"127.0.0.1:9\"");
    }

    @Test
    void addressesForEveryKindOfBind() {
        assertThat(WorkerdConfig.address("127.0.0.1", 80)).isEqualTo("127.0.0.1:80");
        assertThat(WorkerdConfig.address("0.0.0.0", 80)).isEqualTo("*:80");
        assertThat(WorkerdConfig.address("::1", 80)).isEqualTo("[::1]:80");
    }
}
