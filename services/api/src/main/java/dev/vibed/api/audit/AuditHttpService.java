package dev.vibed.api.audit;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.api.http.QueryParams;
import dev.vibed.core.application.AuditPage;
import dev.vibed.core.application.Vibed;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/audit?cursor=&limit=}: the audit log for admins, oldest first, paged. */
public final class AuditHttpService implements HttpService {
    private final Vibed vibed;
    private final CallerResolver callers;

    public AuditHttpService(Vibed vibed, CallerResolver callers) {
        this.vibed = vibed;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/audit", this::page);
    }

    private void page(ServerRequest req, ServerResponse res) {
        Integer limit = QueryParams.integer(req, "limit");
        AuditPage page = vibed.audit(callers.resolve(req), req.query().first("cursor").orElse(null), limit);
        JsonResponses.send(res, 200, page);
    }
}
