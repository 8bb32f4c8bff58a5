package dev.vibed.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import dev.vibed.core.testing.RepoRoot;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chart rendered by the real Helm library (helm-java runs Helm's Go code in-process), parsed into objects the
 * tests can ask about: the same output {@code helm template} gives, so what the tests see is what a cluster gets.
 */
final class Chart {
    static final String RELEASE = "vibed";
    static final String NAMESPACE = "vibed";
    /** A current Kubernetes: the library's default (1.20) is older than the chart's kubeVersion. */
    static final String KUBE_VERSION = "1.33.0";

    private Chart() {
    }

    static Path dir() {
        return RepoRoot.find().resolve("charts/vibed");
    }

    static Path valuesFile(String name) {
        return dir().resolve(name);
    }

    /** Renders with a values file (null: the chart's defaults) and {@code --set} pairs. */
    static Rendered render(String valuesFile, Map<String, Object> sets) {
        TemplateCommand template = new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile(valuesFile));
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return Rendered.parse(template.call());
    }

    /** What {@code helm install} prints after installing (NOTES.txt), from a client-only dry run: no cluster. */
    static String notes(String valuesFile) {
        InstallCommand install = new Helm(dir()).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).withDryRunOption(DryRun.CLIENT).clientOnly();
        if (valuesFile != null) {
            install = install.withValuesFile(valuesFile(valuesFile));
        }
        return install.call().getOutput();
    }

    static Rendered render(String valuesFile) {
        return render(valuesFile, Map.of());
    }

    /** Everything {@code helm template} printed, one map per YAML document. */
    record Rendered(String text, List<Map<String, Object>> objects) {

        @SuppressWarnings("unchecked")
        static Rendered parse(String text) {
            List<Map<String, Object>> out = new ArrayList<>();
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(50 * 1024 * 1024);
            for (Object doc : new Yaml(options).loadAll(text)) {
                if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                    out.add((Map<String, Object>) map);
                }
            }
            return new Rendered(text, out);
        }

        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> get(String kind, String name) {
            return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(name(o))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; rendered: " + summary()));
        }

        <T> T get(String kind, String name, Class<T> type) {
            return as(get(kind, name), type);
        }

        <T> List<T> all(String kind, Class<T> type) {
            return ofKind(kind).stream().map(o -> as(o, type)).toList();
        }

        List<String> summary() {
            return objects.stream().map(o -> o.get("kind") + "/" + name(o)).toList();
        }

        static <T> T as(Map<String, Object> object, Class<T> type) {
            return Serialization.jsonMapper().convertValue(object, type);
        }

        @SuppressWarnings("unchecked")
        static String name(Map<String, Object> object) {
            Map<String, Object> meta = (Map<String, Object>) object.getOrDefault("metadata", new LinkedHashMap<>());
            return Objects.toString(meta.get("name"), "");
        }

        @SuppressWarnings("unchecked")
        static String namespace(Map<String, Object> object) {
            Map<String, Object> meta = (Map<String, Object>) object.getOrDefault("metadata", new LinkedHashMap<>());
            return Objects.toString(meta.get("namespace"), "");
        }
    }
}
