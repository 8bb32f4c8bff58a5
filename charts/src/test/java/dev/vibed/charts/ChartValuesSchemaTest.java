package dev.vibed.charts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json (and the chart's own required checks) turn bad values into a clear error before anything is applied. */
class ChartValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "publicScheme, ftp, publicScheme",
            "api.auth.mode, basic, mode",
            "api.replicas, 0, replicas",
            "caddy.replicas, 2, replicas",
            "caddy.tls.mode, letsencrypt, mode",
            "domain, Not A Domain, domain",
            "workloads.namespace, Vibed_Apps, namespace",
            "sandboxes.egress.mode, open, mode",
            "sandboxes.updateStrategy, Rolling, updateStrategy",
            "sandboxes.egress.exceptCidrs[0], everything, exceptCidrs",
            "templates.static.poolReplicas, -1, poolReplicas",
            "templates.static.replicas, 3, replicas",
            "s3.endpoint, s3.example.com, endpoint",
            "replicaCount, 3, replicaCount",
    })
    void aBadValueIsRejectedNamingTheField(String key, String value, String named) {
        Object typed = value.matches("-?[0-9]+") ? Integer.valueOf(value) : value;
        assertThatThrownBy(() -> Chart.render(null, Map.of(key, typed)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @Test
    void missingPiecesOfAChosenModeAreRequired() {
        assertThatThrownBy(() -> Chart.render(null, Map.of("api.auth.mode", "oidc")))
                .hasMessageContaining("api.auth.oidc.issuer is required");
        assertThatThrownBy(() -> Chart.render(null, Map.of("api.auth.mode", "apikey")))
                .hasMessageContaining("api.auth.apiKeys");
        assertThatThrownBy(() -> Chart.render(null, Map.of("minio.enabled", false)))
                .hasMessageContaining("S3 credentials: set s3.existingSecret");
        assertThatThrownBy(() -> Chart.render(null, Map.of("minio.enabled", false, "s3.existingSecret", "mine")))
                .hasMessageContaining("set s3.endpoint");
        assertThatThrownBy(() -> Chart.render(null, Map.of("caddy.tls.mode", "dns01")))
                .hasMessageContaining("caddy.tls.dns01.provider is required");
    }

    @Test
    void theShippedValuesFilesPassAndLintIsClean() {
        assertThat(Chart.render("values-kind.yaml").objects()).isNotEmpty();
        assertThat(Chart.render("values-production.yaml").objects()).isNotEmpty();
        var lint = new com.marcnuri.helm.Helm(Chart.dir()).lint().strict().call();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }
}
