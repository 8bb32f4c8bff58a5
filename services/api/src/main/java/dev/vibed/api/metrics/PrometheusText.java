package dev.vibed.api.metrics;

import java.util.Map;

/** Builds the Prometheus text exposition format (version 0.0.4) for our few gauges and counters. */
public final class PrometheusText {
    private final StringBuilder out = new StringBuilder();

    public PrometheusText metric(String name, String type, String help, Map<String, ? extends Number> byLabel, String label) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        byLabel.forEach((value, n) -> out.append(name).append('{').append(label).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} ").append(n).append('\n'));
        return this;
    }

    public PrometheusText metric(String name, String type, String help, Number value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(value).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
