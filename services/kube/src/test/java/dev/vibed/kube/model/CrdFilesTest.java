package dev.vibed.kube.model;

import dev.vibed.core.testing.RepoRoot;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VibedApp CRD is generated from the Java model at build time and refined ({@link CrdRefinement}); the
 * committed copies (the schema contract and the Helm chart's crds/) must be exactly that, or a cluster would
 * validate against a stale schema. {@code -Dvibed.crd.write=true} rewrites them.
 */
class CrdFilesTest {
    private static final String FILE = VibedApp.CRD_NAME + "-v1.yml";

    @Test
    void committedCrdCopiesEqualTheGeneratedOne() throws IOException {
        String generated;
        try (InputStream in = CrdFilesTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
            assertThat(in).as("generated CRD on the classpath (crd-generator-maven-plugin runs at process-classes)").isNotNull();
            generated = CrdRefinement.refine(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Path root = RepoRoot.find();
        for (Path copy : new Path[]{root.resolve("schema/crd").resolve(FILE), root.resolve("charts/vibed/crds").resolve(FILE)}) {
            if (Boolean.getBoolean("vibed.crd.write")) {
                Files.writeString(copy, generated);
            }
            String refresh = "refresh it: mvn -o -pl services/kube -am verify -Dtest=CrdFilesTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dvibed.crd.write=true (and remember: Helm never upgrades"
                    + " crds/, so clusters need 'kubectl apply -f " + root.relativize(copy) + "')";
            assertThat(copy).as("%s is missing; %s", root.relativize(copy), refresh).exists();
            assertThat(Files.readString(copy))
                    .as("%s differs from the CRD generated from the Java model; %s", root.relativize(copy), refresh)
                    .isEqualTo(generated);
        }
    }

    @Test
    void crdDeclaresWhatKubectlAndTheControllerRelyOn() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(RepoRoot.find().resolve("charts/vibed/crds").resolve(FILE)),
                CustomResourceDefinition.class);
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vapp");
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().getFirst();
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns()).as("kubectl get vapp shows them in this order")
                .extracting(c -> c.getName()).containsExactly("Phase", "URL", "Template", "Age");

        JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
        JSONSchemaProps spec = root.getProperties().get("spec");
        JSONSchemaProps status = root.getProperties().get("status");
        JSONSchemaProps version = spec.getProperties().get("versions").getItems().getSchema();
        assertThat(status.getProperties().get("phase").getEnum()).extracting(Object::toString)
                .containsExactly("\"Pending\"", "\"Claiming\"", "\"Starting\"", "\"Ready\"", "\"Suspended\"", "\"Failed\"");
        assertThat(version.getProperties().get("lane").getEnum()).extracting(Object::toString).containsExactly("\"fast\"", "\"general\"");
        assertThat(spec.getProperties().get("expiresAt").getFormat()).isEqualTo("date-time");
        assertThat(version.getProperties().get("createdAt").getFormat()).isEqualTo("date-time");
        assertThat(status.getProperties().get("lastDeployedAt").getFormat()).isEqualTo("date-time");
        JSONSchemaProps conditions = status.getProperties().get("conditions");
        assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
        assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
        assertThat(conditions.getItems().getSchema().getRequired()).contains("type");
        assertThat(conditions.getItems().getSchema().getProperties().get("lastTransitionTime").getFormat()).isEqualTo("date-time");
    }
}
