package dev.vibed.api.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the service's {@link Meters} in the Prometheus text format. */
public final class MetricsHttpService implements HttpService {
    private final Meters meters;

    public MetricsHttpService(Meters meters) {
        this.meters = meters;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(meters.scrape().getBytes(StandardCharsets.UTF_8));
        });
    }
}
