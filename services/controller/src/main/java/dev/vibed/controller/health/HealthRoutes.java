package dev.vibed.controller.health;

import dev.vibed.api.metrics.Meters;
import dev.vibed.api.metrics.MetricsHttpService;
import dev.vibed.core.app.AppStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Probes for the kubelet. {@code /healthz}: the process serves. {@code /metrics}: leadership and apps by phase. {@code /readyz}: the operator has started (its
 * informers synced). A standby replica is ready too: readiness is about being able to take over, not leading.
 */
public final class HealthRoutes {
    private HealthRoutes() {
    }

    public static void register(HttpRouting.Builder routing, BooleanSupplier ready, BooleanSupplier leading,
                                AppStore store) {
        routing.register("/", new MetricsHttpService(new Meters().onScrape(m -> {
            Map<String, Long> byPhase = new TreeMap<>();
            if (leading.getAsBoolean()) {
                // Only the leader lists apps: N standbys scraping would multiply the API server's load for no news.
                store.list().forEach(a -> byPhase.merge(a.status().phase().wire(), 1L, Long::sum));
            }
            m.gauge("vibed_controller_leader", "1 on the replica that reconciles", leading.getAsBoolean() ? 1 : 0)
                    .gauge("vibed_apps", "Apps by phase (reported by the leader)", byPhase, "phase");
        })));
        routing.get("/healthz", (req, res) -> res.send("ok\n"))
                .get("/readyz", (req, res) -> {
                    if (ready.getAsBoolean()) {
                        res.send(leading.getAsBoolean() ? "ready (leader)\n" : "ready (standby)\n");
                    } else {
                        res.status(Status.SERVICE_UNAVAILABLE_503).send("starting\n");
                    }
                });
    }
}
