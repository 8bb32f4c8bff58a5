package dev.vibed.kube.model;

import dev.vibed.core.testing.RepoRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VibedApp CRD is generated from the Java model at build time; the committed copies (the schema contract and
 * the Helm chart's crds/) must be exactly what the model generates, or a cluster would validate against a stale
 * schema.
 */
class CrdFilesTest {
    private static final String FILE = VibedApp.CRD_NAME + "-v1.yml";

    @Test
    void committedCrdCopiesEqualTheGeneratedOne() throws IOException {
        String generated;
        try (InputStream in = CrdFilesTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
            assertThat(in).as("generated CRD on the classpath (crd-generator-maven-plugin runs at process-classes)").isNotNull();
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path root = RepoRoot.find();
        for (Path copy : new Path[]{root.resolve("schema/crd").resolve(FILE), root.resolve("charts/vibed/crds").resolve(FILE)}) {
            String refresh = "refresh it: mvn -pl services/kube process-classes && cp services/kube/target/classes/META-INF/fabric8/"
                    + FILE + " " + root.relativize(copy) + " (and remember: Helm never upgrades crds/, so clusters need"
                    + " 'kubectl apply -f " + root.relativize(copy) + "')";
            assertThat(copy).as("%s is missing; %s", root.relativize(copy), refresh).exists();
            assertThat(Files.readString(copy))
                    .as("%s differs from the CRD generated from the Java model; %s", root.relativize(copy), refresh)
                    .isEqualTo(generated);
        }
    }

    @Test
    void crdDeclaresWhatKubectlAndTheControllerRelyOn() throws IOException {
        String generated;
        try (InputStream in = CrdFilesTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(generated)
                .contains("scope: \"Namespaced\"", "- \"vapp\"", "status: {}", "name: \"v1alpha1\"")
                .contains("name: \"Phase\"", "name: \"URL\"", "name: \"Template\"", "name: \"Age\"");
    }
}
