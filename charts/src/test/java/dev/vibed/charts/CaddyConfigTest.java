package dev.vibed.charts;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Caddy config the chart ships, run by a real Caddy (Debian package {@code caddy}): it must load, answer the
 * probes on its health port, give a host outside the apps' domain the router's 404 fallback (never Caddy's empty
 * 200), and accept the router's admin calls. Only the listen ports are moved to free loopback ports.
 */
class CaddyConfigTest {

    @Test
    void theShippedConfigLoadsServesTheFallbackAndTheProbes() throws Exception {
        String config = ChartCaddy.config(Chart.render("values-kind.yaml"));
        assertThat(config).contains("\"vibed-fallback\"", "\"admin\"", ":9180");

        try (ChartCaddy caddy = ChartCaddy.start(config, root -> { })) {
            assertThat(caddy.get(caddy.health, "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(caddy.get(caddy.health, "/metrics", null).body()).as("Prometheus text from Caddy's metrics handler")
                    .contains("# TYPE go_goroutines gauge");

            HttpResponse<String> unknown = caddy.get(caddy.http, "/", "nope.example.org");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("X-Vibed-Fallback")).contains("true");

            HttpResponse<String> routes = caddy.get(caddy.admin, "/config/apps/http/servers/vibed/routes", null);
            assertThat(routes.statusCode()).as("the router's admin calls: %s", routes.body()).isEqualTo(200);
            assertThat(routes.body()).contains("vibed-fallback");
        }
    }
}
