package dev.vibed.api.apps;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.application.AppQuery;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.problem.Problem;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

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
        var items = Jsons.arrayBuilder();
        page.apps().forEach(a -> items.add(AppJson.app(a)));
        var body = Jsons.builder().add("apps", items);
        Jsons.addIfPresent(body, "next_cursor", page.nextCursor());
        JsonResponses.send(res, 200, body.build());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        vibed.delete(callers.resolve(req), id(req));
        JsonResponses.send(res, 202, Jsons.builder().add("app_id", id(req)).add("phase", "Deleting").build());
    }

    private void versions(ServerRequest req, ServerResponse res) {
        List<AppView.VersionView> versions = vibed.versions(callers.resolve(req), id(req));
        var items = Jsons.arrayBuilder();
        versions.forEach(v -> items.add(AppJson.version(v)));
        JsonResponses.send(res, 200, Jsons.builder().add("versions", items).build());
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        Long version = field("invalid_version", () -> body.containsKey("version") ? Jsons.number(body, "version", -1) : null);
        sendApp(res, vibed.rollback(caller, id(req), version == null ? null : (int) Math.max(Integer.MIN_VALUE,
                Math.min(Integer.MAX_VALUE, version))));
    }

    private void setEnv(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        sendApp(res, vibed.setEnv(caller, id(req), field("invalid_env",
                () -> body.containsKey("env") ? Jsons.stringMap(body, "env") : null)));
    }

    private void changeEnv(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        Map<String, String> set = field("invalid_env", () -> Jsons.stringMap(body, "set"));
        Set<String> unset = field("invalid_env", () -> {
            Set<String> names = new LinkedHashSet<>();
            for (JsonValue v : Jsons.array(body, "unset")) {
                if (v.getValueType() != JsonValue.ValueType.STRING) {
                    throw new IllegalArgumentException("'unset' must be an array of env names");
                }
                names.add(((JsonString) v).getString());
            }
            return names;
        });
        sendApp(res, vibed.changeEnv(caller, id(req), set, unset));
    }

    private void extend(ServerRequest req, ServerResponse res) {
        var caller = callers.resolve(req);
        JsonObject body = jsonBody(req);
        sendApp(res, vibed.extendTtl(caller, id(req), field("invalid_ttl", () -> Jsons.stringOrNumber(body, "ttl").orElse(null))));
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
            String text = JsonResponses.body(req);
            return text.isBlank() ? Jsons.builder().build() : Jsons.parseObject(text);
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
}
