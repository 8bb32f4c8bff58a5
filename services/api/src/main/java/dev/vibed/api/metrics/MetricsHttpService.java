package dev.vibed.api.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** {@code GET /metrics} in Prometheus text format; each mode contributes the metrics of its own adapters. */
public final class MetricsHttpService implements HttpService {
    private final List<Consumer<PrometheusText>> sources;

    public MetricsHttpService(List<Consumer<PrometheusText>> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", (req, res) -> {
            PrometheusText text = new PrometheusText();
            sources.forEach(s -> s.accept(text));
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(text.toString().getBytes(StandardCharsets.UTF_8));
        });
    }
}
