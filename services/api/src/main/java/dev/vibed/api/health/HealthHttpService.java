package dev.vibed.api.health;

import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.json.Jsons;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.function.BooleanSupplier;

/** {@code /healthz} (the process is up) and {@code /readyz} (its dependencies answer). */
public final class HealthHttpService implements HttpService {
    private final BooleanSupplier ready;

    public HealthHttpService(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/healthz", (req, res) -> JsonResponses.send(res, 200, Jsons.builder().add("status", "ok").build()))
                .get("/readyz", (req, res) -> {
                    boolean ok = ready.getAsBoolean();
                    JsonResponses.send(res, ok ? 200 : 503, Jsons.builder().add("status", ok ? "ready" : "not ready").build());
                });
    }
}
