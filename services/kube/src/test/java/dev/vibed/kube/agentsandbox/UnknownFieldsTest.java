package dev.vibed.kube.agentsandbox;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** We type only the fields we use; a newer agent-sandbox's other fields must survive a read and a write. */
class UnknownFieldsTest {

    @Test
    void fieldsWeDoNotModelAreKeptOnTheWayBack() {
        String json = """
                {"apiVersion":"extensions.agents.x-k8s.io/v1beta1","kind":"SandboxClaim",
                 "metadata":{"name":"c1","namespace":"ns"},
                 "spec":{"warmPoolRef":{"name":"static"},"lifecycle":{"shutdownPolicy":"Retain"},
                         "additionalPodMetadata":{"labels":{"vibed.dev/claim":"c1"}}},
                 "status":{"sandbox":{"name":"s1","podIPs":["10.0.0.7"],"future":1},
                           "conditions":[{"type":"Ready","status":"True","reason":"DependenciesReady"}]}}
                """;
        SandboxClaim claim = Serialization.unmarshal(json, SandboxClaim.class);
        assertThat(claim.getSpec().getWarmPoolRef().getName()).isEqualTo("static");
        assertThat(claim.getStatus().getSandbox().getPodIPs()).containsExactly("10.0.0.7");

        String back = Serialization.asJson(claim);
        assertThat(back).contains("\"lifecycle\":{\"shutdownPolicy\":\"Retain\"}", "\"future\":1")
                .doesNotContain("additionalProperties", "\"env\"");
    }
}
