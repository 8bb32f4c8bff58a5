package dev.vibed.core.classify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackageJsonTest {

    @Test
    void readsTheKeysThatDecideHowAProjectStarts() {
        PackageJson pkg = PackageJson.parse("""
                {
                  "name": "shop",
                  "type": "module",
                  "main": "./src/server.js",
                  "scripts": { "start": "node src/server.js", "build": "vite build", "weird": 42 },
                  "dependencies": { "express": "^4.19.0", "pg": "8" },
                  "devDependencies": { "vite": "5" }
                }
                """);

        assertThat(pkg.scripts()).containsExactly(java.util.Map.entry("start", "node src/server.js"), java.util.Map.entry("build", "vite build"));
        assertThat(pkg.script("start")).contains("node src/server.js");
        assertThat(pkg.script("test")).isEmpty();
        assertThat(pkg.main()).contains("./src/server.js");
        assertThat(pkg.type()).contains("module");
        assertThat(pkg.isEsm()).isTrue();
        assertThat(pkg.dependencies()).containsExactly("express", "pg");
        assertThat(pkg.devDependencies()).containsExactly("vite");
        assertThat(pkg.dependsOn("vite")).isTrue();
        assertThat(pkg.dependsOn("react")).isFalse();
    }

    @Test
    void toleratesMissingAndOddlyTypedKeys() {
        PackageJson pkg = PackageJson.parse("{\"scripts\": \"nope\", \"main\": 3, \"dependencies\": []}");

        assertThat(pkg.scripts()).isEmpty();
        assertThat(pkg.main()).isEmpty();
        assertThat(pkg.type()).isEmpty();
        assertThat(pkg.isEsm()).isFalse();
        assertThat(pkg.dependencies()).isEmpty();
    }

    @Test
    void treatsABlankScriptAsAbsent() {
        assertThat(PackageJson.parse("{\"scripts\":{\"start\":\"  \"}}").script("start")).isEmpty();
    }

    @Test
    void refusesTextThatIsNotAJsonObject() {
        assertThatThrownBy(() -> PackageJson.parse("{ \"name\": ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackageJson.parse("\"just a string\"")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ignoresAByteOrderMark() {
        assertThat(PackageJson.parse("\uFEFF{\"main\":\"a.js\"}").main()).contains("a.js");
    }
}
