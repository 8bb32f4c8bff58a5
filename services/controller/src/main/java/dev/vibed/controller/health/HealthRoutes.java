package dev.vibed.controller.health;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

import java.util.function.BooleanSupplier;

/**
 * Probes for the kubelet. {@code /healthz}: the process serves. {@code /readyz}: the operator has started (its
 * informers synced). A standby replica is ready too: readiness is about being able to take over, not leading.
 */
public final class HealthRoutes {
    private HealthRoutes() {
    }

    public static void register(HttpRouting.Builder routing, BooleanSupplier ready, BooleanSupplier leading) {
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
