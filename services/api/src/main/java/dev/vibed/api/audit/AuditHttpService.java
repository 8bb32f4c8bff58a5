package dev.vibed.api.audit;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.application.AuditPage;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.audit.AuditEntry;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.problem.Problem;
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
        Integer limit;
        try {
            limit = req.query().first("limit").map(Integer::valueOf).orElse(null);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid_limit", "'limit' must be an integer");
        }
        AuditPage page = vibed.audit(callers.resolve(req), req.query().first("cursor").orElse(null), limit);
        var items = Jsons.arrayBuilder();
        page.entries().forEach(e -> items.add(json(e)));
        var body = Jsons.builder().add("entries", items);
        Jsons.addIfPresent(body, "next_cursor", page.nextCursor());
        JsonResponses.send(res, 200, body.build());
    }

    public static jakarta.json.JsonObject json(AuditEntry e) {
        var b = Jsons.builder().add("seq", e.seq()).add("at", e.at().toString()).add("actor", e.actor())
                .add("action", e.action()).add("outcome", e.outcome());
        Jsons.addIfPresent(b, "app_id", e.appId());
        Jsons.addIfPresent(b, "detail", e.detail());
        return b.build();
    }
}
