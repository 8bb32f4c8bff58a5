package dev.vibed.api.platform;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.application.Limits;
import dev.vibed.core.application.Me;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.json.Jsons;
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

    private void me(ServerRequest req, ServerResponse res) {
        Me me = vibed.me(callers.resolve(req));
        var roles = Jsons.arrayBuilder();
        me.roles().stream().sorted().forEach(roles::add);
        JsonResponses.send(res, 200, Jsons.builder().add("subject", me.subject()).add("admin", me.admin())
                .add("roles", roles).add("apps", me.apps()).add("max_apps", me.maxApps()).build());
    }

    private void limits(ServerRequest req, ServerResponse res) {
        callers.resolve(req);
        Limits limits = vibed.limits();
        JsonResponses.send(res, 200, Jsons.builder().add("max_source_bytes", limits.maxSourceBytes())
                .add("max_request_bytes", limits.maxRequestBytes()).add("max_json_bytes", limits.maxJsonBytes()).build());
    }

    private void templates(ServerRequest req, ServerResponse res) {
        callers.resolve(req);
        var items = Jsons.arrayBuilder();
        vibed.templates().forEach(t -> items.add(Jsons.builder().add("name", t.name()).add("lane", t.lane())
                .add("description", t.description())));
        JsonResponses.send(res, 200, Jsons.builder().add("templates", items).build());
    }
}
