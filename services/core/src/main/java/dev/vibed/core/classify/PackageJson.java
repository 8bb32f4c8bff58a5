package dev.vibed.core.classify;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The few package.json keys that decide how a Node project starts. Strict about JSON syntax (a broken file is
 * reported, not guessed around) and lenient about types: a number where a script should be is skipped, because
 * npm tolerates odd package.json files and so should we.
 */
public final class PackageJson {
    private final Map<String, String> scripts;
    private final String main;
    private final String type;
    private final Set<String> dependencies;
    private final Set<String> devDependencies;

    private PackageJson(Map<String, String> scripts, String main, String type, Set<String> dependencies, Set<String> devDependencies) {
        this.scripts = Collections.unmodifiableMap(scripts);
        this.main = main;
        this.type = type;
        this.dependencies = Collections.unmodifiableSet(dependencies);
        this.devDependencies = Collections.unmodifiableSet(devDependencies);
    }

    /**
     * @throws IllegalArgumentException when the text is not a JSON object; the message says what is wrong
     */
    public static PackageJson parse(String text) {
        // Editors on Windows like to start files with a byte order mark, which JSON parsers reject.
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        JsonObject root = Jsons.parseObject(json);
        return new PackageJson(strings(root.get("scripts")), string(root.get("main")), string(root.get("type")),
                keys(root.get("dependencies")), keys(root.get("devDependencies")));
    }

    /** All scripts whose value is a string, in file order. */
    public Map<String, String> scripts() {
        return scripts;
    }

    public Optional<String> script(String name) {
        return Optional.ofNullable(scripts.get(name)).filter(s -> !s.isBlank());
    }

    /** {@code main} as written (it may start with "./" or omit the extension). */
    public Optional<String> main() {
        return Optional.ofNullable(main).filter(s -> !s.isBlank());
    }

    /** {@code type}: "module" or "commonjs" when present. */
    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    /** True for {@code "type": "module"}: plain .js files are ES modules. */
    public boolean isEsm() {
        return "module".equals(type);
    }

    /** Names of the runtime dependencies. */
    public Set<String> dependencies() {
        return dependencies;
    }

    public Set<String> devDependencies() {
        return devDependencies;
    }

    /** True when {@code name} is a runtime or a development dependency. */
    public boolean dependsOn(String name) {
        return dependencies.contains(name) || devDependencies.contains(name);
    }

    private static String string(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : null;
    }

    private static Map<String, String> strings(JsonValue value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof JsonObject object) {
            object.forEach((key, v) -> {
                if (v instanceof JsonString s) {
                    out.put(key, s.getString());
                }
            });
        }
        return out;
    }

    private static Set<String> keys(JsonValue value) {
        return value instanceof JsonObject object ? new LinkedHashSet<>(object.keySet()) : new LinkedHashSet<>();
    }
}
