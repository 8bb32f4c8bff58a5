package dev.vibed.api.apps;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.problem.Problem;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

import java.util.List;

/** {@code /v1/apps}: reads and lifecycle actions, each a one-line call into {@link AppService}. */
public final class AppsHttpService implements HttpService {
    private final AppService apps;
    private final CallerResolver callers;

    public AppsHttpService(AppService apps, CallerResolver callers) {
        this.apps = apps;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete)
                .get("/{id}/versions", this::versions)
                .post("/{id}/rollback", this::rollback)
                .put("/{id}/env", this::setEnv)
                .post("/{id}/suspend", (req, res) -> sendApp(res, apps.suspend(callers.resolve(req), id(req))))
                .post("/{id}/resume", (req, res) -> sendApp(res, apps.resume(callers.resolve(req), id(req))))
                .post("/{id}/extend", this::extend)
                .get("/{id}/logs", this::logs);
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = intParam(req, "limit", 50);
        String cursor = req.query().first("cursor").orElse(null);
        AppService.Page page = apps.list(callers.resolve(req), cursor, limit);
        var items = Jsons.arrayBuilder();
        page.apps().forEach(a -> items.add(AppJson.app(a)));
        var body = Jsons.builder().add("apps", items);
        Jsons.addIfPresent(body, "next_cursor", page.nextCursor());
        JsonResponses.send(res, 200, body.build());
    }

    private void get(ServerRequest req, ServerResponse res) {
        sendApp(res, apps.get(callers.resolve(req), id(req)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        apps.delete(callers.resolve(req), id(req));
        JsonResponses.send(res, 202, Jsons.builder().add("app_id", id(req)).add("phase", "Deleting").build());
    }

    private void versions(ServerRequest req, ServerResponse res) {
        List<AppView.VersionView> versions = apps.versions(callers.resolve(req), id(req));
        var items = Jsons.arrayBuilder();
        versions.forEach(v -> items.add(AppJson.version(v)));
        JsonResponses.send(res, 200, Jsons.builder().add("versions", items).build());
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        long version = field("invalid_version", () -> Jsons.number(body, "version", -1));
        if (version < 1) {
            throw Problem.badRequest("invalid_version", "give the version to roll back to: {\"version\": N}");
        }
        sendApp(res, apps.rollback(caller, id(req), (int) version));
    }

    private void setEnv(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        sendApp(res, apps.setEnv(caller, id(req), field("invalid_env", () -> Jsons.stringMap(body, "env"))));
    }

    private void extend(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        sendApp(res, apps.extend(caller, id(req), field("invalid_ttl", () -> Jsons.stringOrNumber(body, "ttl").orElse(null))));
    }

    private void logs(ServerRequest req, ServerResponse res) {
        int tail = intParam(req, "tail", 100);
        var caller = callers.resolve(req);
        if ("true".equals(req.query().first("follow").orElse("false"))) {
            LogStream.follow(res, apps.followLogs(caller, id(req), tail));
            return;
        }
        List<LogLine> lines = apps.logs(caller, id(req), tail);
        var items = Jsons.arrayBuilder();
        lines.forEach(l -> items.add(l.toJson()));
        JsonResponses.send(res, 200, Jsons.builder().add("lines", items).build());
    }

    private static void sendApp(ServerResponse res, AppView app) {
        JsonResponses.send(res, 200, AppJson.app(app));
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private static JsonObject jsonBody(ServerRequest req) {
        try {
            return Jsons.parseObject(JsonResponses.body(req));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("malformed_json", e.getMessage());
        }
    }

    /** Reads one field of a JSON body; a value of the wrong type is the caller's mistake, a 400 with {@code code}. */
    private static <T> T field(String code, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw Problem.badRequest(code, e.getMessage());
        }
    }

    private static int intParam(ServerRequest req, String name, int fallback) {
        String raw = req.query().first(name).orElse(null);
        if (raw == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid_" + name, "'" + name + "' must be an integer");
        }
    }
}
