package dev.vibed.api.platform;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.application.TemplateInfo;
import dev.vibed.core.application.Vibed;
import java.util.List;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /v1/me} (who the platform thinks you are, and your quota), {@code GET /v1/limits} (the sizes the
 * platform accepts, so a client such as the CLI can refuse a too-large archive before uploading it) and
 * {@code GET /v1/templates}.
 */
public final class PlatformHttpService implements HttpService {
    private final Vibed vibed;
    private final CallerResolver callers;

    public PlatformHttpService(Vibed vibed, CallerResolver callers) {
        this.vibed = vibed;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/me", this::me).get("/limits", this::limits).get("/templates", this::templates);
    }

    public record Templates(List<TemplateInfo> templates) {
    }

    private void me(ServerRequest req, ServerResponse res) {
        JsonResponses.send(res, 200, vibed.me(callers.resolve(req)));
    }

    private void limits(ServerRequest req, ServerResponse res) {
        callers.resolve(req);
        JsonResponses.send(res, 200, vibed.limits());
    }

    private void templates(ServerRequest req, ServerResponse res) {
        callers.resolve(req);
        JsonResponses.send(res, 200, new Templates(vibed.templates()));
    }
}
