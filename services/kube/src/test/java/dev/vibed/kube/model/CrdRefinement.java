package dev.vibed.kube.model;

import dev.vibed.core.app.Phase;
import dev.vibed.core.classify.Classification;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the CRD generator cannot express, added to its output: printer columns in the declared order (it sorts
 * them by JSON path), enums for phase and lane, {@code date-time} formats, and conditions as a list-map keyed by
 * type. The committed CRDs are exactly {@code refine(generated)}; {@link CrdFilesTest} keeps them so.
 */
final class CrdRefinement {
    static final String HEADER = "# Generated from the Java model (VibedApp) by Fabric8 CRDGenerator, refined by CrdRefinement"
            + " (services/kube tests). Do not edit by hand.\n";
    /** kubectl get vapp: the columns in this order. */
    static final List<String> COLUMNS = List.of("Phase", "URL", "Template", "Age");

    private CrdRefinement() {
    }

    @SuppressWarnings("unchecked")
    static String refine(String generatedYaml) {
        Map<String, Object> crd = new Yaml().load(generatedYaml);
        for (Map<String, Object> version : (List<Map<String, Object>>) at(crd, "spec", "versions")) {
            List<Map<String, Object>> columns = new ArrayList<>((List<Map<String, Object>>) version.get("additionalPrinterColumns"));
            columns.sort(Comparator.comparingInt(c -> COLUMNS.indexOf((String) c.get("name"))));
            version.put("additionalPrinterColumns", columns);

            Map<String, Object> schema = (Map<String, Object>) at(version, "schema", "openAPIV3Schema", "properties");
            Map<String, Object> spec = (Map<String, Object>) at(schema, "spec", "properties");
            Map<String, Object> versionItem = (Map<String, Object>) at(spec, "versions", "items", "properties");
            Map<String, Object> status = (Map<String, Object>) at(schema, "status", "properties");

            ((Map<String, Object>) versionItem.get("lane")).put("enum", List.of(Classification.LANE_FAST, Classification.LANE_GENERAL));
            ((Map<String, Object>) status.get("phase")).put("enum", Arrays.stream(Phase.values()).map(Phase::wire).toList());
            for (Map<String, Object> time : List.of((Map<String, Object>) spec.get("expiresAt"),
                    (Map<String, Object>) versionItem.get("createdAt"), (Map<String, Object>) status.get("lastDeployedAt"))) {
                time.put("format", "date-time");
            }
            Map<String, Object> conditions = (Map<String, Object>) status.get("conditions");
            conditions.put("x-kubernetes-list-type", "map");
            conditions.put("x-kubernetes-list-map-keys", List.of("type"));
            Map<String, Object> condition = (Map<String, Object>) conditions.get("items");
            condition.put("required", List.of("type", "status"));
            ((Map<String, Object>) at(condition, "properties", "lastTransitionTime")).put("format", "date-time");
            ((Map<String, Object>) at(condition, "properties", "status")).put("enum", List.of("True", "False", "Unknown"));
        }
        return HEADER + Serialization.asYaml(crd).replaceFirst("^---\n", "");
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            current = ((Map<String, Object>) current).get(key);
            if (current == null) {
                throw new IllegalStateException("the generated CRD has no " + String.join(".", path) + ": update CrdRefinement");
            }
        }
        return current;
    }
}
