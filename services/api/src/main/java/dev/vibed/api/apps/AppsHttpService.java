package dev.vibed.api.apps;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.api.http.QueryParams;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.application.AppQuery;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.json.TextOrNumber;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.problem.Problem;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonValue;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/apps}: reads and lifecycle actions, each a one-line call into {@link Vibed}. */
public final class AppsHttpService implements HttpService {
    private final Vibed vibed;
    private final CallerResolver callers;

    public AppsHttpService(Vibed vibed, CallerResolver callers) {
        this.vibed = vibed;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", (req, res) -> sendApp(res, vibed.app(callers.resolve(req), id(req))))
                .delete("/{id}", this::delete)
                .get("/{id}/versions", this::versions)
                .post("/{id}/rollback", this::rollback)
                .post("/{id}/redeploy", (req, res) -> sendApp(res, vibed.redeploy(callers.resolve(req), id(req))))
                .put("/{id}/env", this::setEnv)
                .patch("/{id}/env", this::changeEnv)
                .post("/{id}/suspend", (req, res) -> sendApp(res, vibed.suspend(callers.resolve(req), id(req))))
                .post("/{id}/resume", (req, res) -> sendApp(res, vibed.resume(callers.resolve(req), id(req))))
                .post("/{id}/extend", this::extend)
                .get("/{id}/logs", this::logs);
    }

    private void list(ServerRequest req, ServerResponse res) {
        var query = new AppQuery(req.query().first("phase").orElse(null), req.query().first("search").orElse(null),
                req.query().first("cursor").orElse(null), QueryParams.integer(req, "limit"));
        AppService.Page page = vibed.apps(callers.resolve(req), query);
        JsonResponses.send(res, 200, new Bodies.AppsPage(page.apps().stream().map(AppBody::of).toList(), page.nextCursor()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        vibed.delete(callers.resolve(req), id(req));
        JsonResponses.send(res, 202, new Bodies.Deleting(id(req), "Deleting"));
    }

    private void versions(ServerRequest req, ServerResponse res) {
        List<AppView.VersionView> versions = vibed.versions(callers.resolve(req), id(req));
        JsonResponses.send(res, 200, new Bodies.Versions(versions.stream().map(AppBody.VersionBody::of).toList()));
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        sendApp(res, vibed.rollback(caller, id(req), Bodies.read(req, Bodies.RollbackRequest.class).version()));
    }

    private void setEnv(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        sendApp(res, vibed.setEnv(caller, id(req), Bodies.read(req, Bodies.EnvRequest.class).env()));
    }

    private void changeEnv(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        Bodies.EnvChange body = Bodies.read(req, Bodies.EnvChange.class);
        sendApp(res, vibed.changeEnv(caller, id(req), body.set(),
                body.unset() == null ? null : new java.util.LinkedHashSet<>(body.unset())));
    }

    private void extend(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonValue ttl = Bodies.read(req, Bodies.ExtendRequest.class).ttl();
        String text;
        try {
            text = TextOrNumber.read(ttl, "ttl");
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid_ttl", e.getMessage());
        }
        sendApp(res, vibed.extendTtl(caller, id(req), text));
    }

    private void logs(ServerRequest req, ServerResponse res) {
        Integer tail = QueryParams.integer(req, "tail");
        var caller = callers.resolve(req);
        if ("true".equals(req.query().first("follow").orElse("false"))) {
            Long after = QueryParams.longValue(req, "after");
            if (after == null) {
                after = req.headers().first(io.helidon.http.HeaderNames.create("Last-Event-ID"))
                        .filter(v -> v.matches("\\d{1,18}")).map(Long::valueOf).orElse(null);
            }
            LogStream.follow(res, vibed.followLogs(caller, id(req), tail, after));
            return;
        }
        List<LogLine> lines = vibed.logs(caller, id(req), tail);
        JsonResponses.send(res, 200, new Bodies.Lines(lines));
    }

    private static void sendApp(ServerResponse res, AppView app) {
        JsonResponses.send(res, 200, AppBody.of(app));
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }
}
