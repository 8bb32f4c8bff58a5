package dev.vibed.api.metrics;

import dev.vibed.core.deploy.DeployMetrics;
import dev.vibed.core.deploy.DeployStage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One service's metrics, on Micrometer's Prometheus registry: deploy histograms recorded as deploys happen, and
 * gauges and counters that the adapters read from their own state at each scrape ({@link #onScrape}).
 */
public final class Meters implements DeployMetrics {
    /** Buckets for deploy and stage times: from a static site's milliseconds to a dependency install's minutes. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Consumer<Readings>> sources = new ArrayList<>();
    private final Readings readings = new Readings();
    private final Map<DeployStage, Timer> stageTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> deployTimers = new ConcurrentHashMap<>();

    /** Adds a source of gauges and counters, read just before each scrape. */
    public Meters onScrape(Consumer<Readings> source) {
        sources.add(source);
        return this;
    }

    /** The Prometheus text exposition of everything registered. */
    public String scrape() {
        synchronized (readings) {
            sources.forEach(s -> s.accept(readings));
        }
        return registry.scrape();
    }

    @Override
    public void stage(DeployStage stage, Duration took) {
        // Registered once per stage: a lookup through the registry's builder on every mark costs more than the record.
        stageTimers.computeIfAbsent(stage, s -> Timer.builder("vibed.deploy.stage")
                .description("Time of each stage of a deploy, from the end of the one before")
                .tag("stage", s.wire()).serviceLevelObjectives(BUCKETS).register(registry)).record(took);
    }

    @Override
    public void deploy(String template, String outcome, Duration took) {
        deployTimers.computeIfAbsent(template + "\n" + outcome, k -> Timer.builder("vibed.deploy.duration")
                .description("Deploys from the upload's first byte to the answer")
                .tags("template", template, "outcome", outcome).serviceLevelObjectives(BUCKETS).register(registry)).record(took);
    }

    /**
     * Values the adapters report at scrape time: gauges (any value) and counters (values only grow), with one label
     * or none. Names are the full Prometheus names, counters ending in {@code _total}.
     */
    public final class Readings {
        private final Map<String, MultiGauge> labelledGauges = new ConcurrentHashMap<>();
        private final Map<String, double[]> values = new ConcurrentHashMap<>();

        public Readings gauge(String name, String help, Number value) {
            double[] cell = values.computeIfAbsent(name, n -> {
                double[] c = new double[1];
                Gauge.builder(n, c, a -> a[0]).description(help).register(registry);
                return c;
            });
            cell[0] = value.doubleValue();
            return this;
        }

        public Readings gauge(String name, String help, Map<String, ? extends Number> byLabel, String label) {
            MultiGauge gauge = labelledGauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(help).register(registry));
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            byLabel.forEach((value, n) -> rows.add(MultiGauge.Row.of(Tags.of(label, value), n)));
            gauge.register(rows, true);
            return this;
        }

        public Readings counter(String name, String help, Number value) {
            counterCell(name, help, Tags.empty())[0] = value.doubleValue();
            return this;
        }

        public Readings counter(String name, String help, Map<String, ? extends Number> byLabel, String label) {
            byLabel.forEach((value, n) -> counterCell(name, help, Tags.of(label, value))[0] = n.doubleValue());
            return this;
        }

        private double[] counterCell(String name, String help, Tags tags) {
            // Micrometer adds "_total" to counters itself.
            String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
            return values.computeIfAbsent(name + tags, k -> {
                double[] c = new double[1];
                FunctionCounter.builder(base, c, a -> a[0]).description(help).tags(tags).register(registry);
                return c;
            });
        }
    }
}
