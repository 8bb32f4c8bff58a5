package dev.vibed.api.mcp.tools;

import dev.vibed.core.agent.LogLine;
import dev.vibed.core.application.AppQuery;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.deploy.DeployOutcome;
import dev.vibed.core.deploy.DeployProgress;
import dev.vibed.core.deploy.DeployRequest;
import dev.vibed.core.deploy.FilesArchive;
import dev.vibed.core.deploy.UploadTicket;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.problem.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.vibed.api.mcp.tools.Schemas.array;
import static dev.vibed.api.mcp.tools.Schemas.bool;
import static dev.vibed.api.mcp.tools.Schemas.integer;
import static dev.vibed.api.mcp.tools.Schemas.object;
import static dev.vibed.api.mcp.tools.Schemas.string;
import static dev.vibed.api.mcp.tools.Schemas.stringMap;
import static dev.vibed.api.mcp.tools.Schemas.stringOrInteger;

/**
 * vibeD's MCP tools: thin adapters over {@link Vibed}, the same application layer REST uses, so ownership, quotas
 * and limits answer exactly as they do there. Each tool only maps arguments to one call and the result to
 * structured content; a {@link Problem} becomes an {@code isError} result with its code and message. The
 * descriptions are written for a model: what the tool does, its limits, and what to call next.
 */
public final class VibedTools {
    private static final String APP_ID = "app_id";

    private final Vibed vibed;

    public VibedTools(Vibed vibed) {
        this.vibed = vibed;
    }

    public List<ToolDef> all() {
        return List.of(deployApp(), createUpload(), updateApp(), getApp(), listApps(), getLogs(), listVersions(),
                rollbackApp(), setEnv(), suspendApp(), resumeApp(), extendTtl(), deleteApp());
    }

    // ---- deploy ----------------------------------------------------------------------------------------------

    private static final Map<String, Object> FILES = Map.of("type", "object",
            "description", "The project as a map of relative paths to contents. A value is the file's UTF-8 text, or "
                    + "{\"base64\": \"...\"} for a binary file. Limits: " + FilesArchive.LIMITS_TEXT + ".",
            "additionalProperties", Map.of("anyOf", List.of(Map.of("type", "string"),
                    Map.of("type", "object", "properties", Map.of("base64", Map.of("type", "string")),
                            "required", List.of("base64"), "additionalProperties", false))));
    private static final Map<String, Object> UPLOAD_ID = string("Instead of files: the upload_id from create_upload, after the "
            + ".tar.gz was PUT to its upload_url.");
    private static final Map<String, Object> ENV = stringMap("Environment variables for the app (names to values). Values are "
            + "never shown back; PORT is set by vibeD.");
    private static final Map<String, Object> TTL = stringOrInteger("How long the app lives, e.g. \"2h\", \"7d\" or seconds; "
            + "default 24h, \"0\" means never expire where allowed.");

    private static Map<String, Object> deployOutput() {
        return object(List.of(APP_ID, "url", "phase", "template", "rule", "version"),
                APP_ID, string("The app's id; pass it to the other tools."),
                "name", string("The app's name."),
                "url", string("The public URL of the app."),
                "phase", string("Ready when the URL serves; Starting/Claiming/Pending when it is still coming up."),
                "template", string("The runtime chosen: static, node, python or workerd."),
                "rule", string("Which classifier rule chose the template (why it was chosen)."),
                "version", Map.of("type", "integer", "description", "The version number this deploy created."),
                "created", bool("True when this deploy created the app, false when it added a version."));
    }

    private ToolDef deployApp() {
        return new ToolDef("deploy_app", "Deploy an app",
                "Deploys a small web app and returns its public URL once the URL serves. Give the project as `files` "
                        + "(a map of relative path to content: UTF-8 text, or {\"base64\": ...} for binary files; "
                        + FilesArchive.LIMITS_TEXT + ") or, for bigger projects, as `upload_id` from create_upload. "
                        + "The runtime is chosen from the files: index.html only -> static; wrangler.toml or a module "
                        + "worker -> workerd; package.json with a start script, `main` or server.js -> node "
                        + "(dependencies are installed); requirements.txt, pyproject.toml, app.py or main.py -> python. "
                        + "The app must listen on the port in the PORT environment variable. Deploying again with the "
                        + "same name adds a version to that app (same URL). Sends progress notifications (received, "
                        + "classified, claimed, starting, serving) when the request has a progress token. If the app "
                        + "fails to start, the result is an error with the reason and the app's output; fix the code "
                        + "and deploy again. Next: get_logs to see the output, update_app for a new version.",
                object(List.of("name"),
                        "name", string("The app's name: a lowercase slug (a-z, 0-9, '-'), at most 63 characters."),
                        "files", FILES, "upload_id", UPLOAD_ID, "env", ENV, "ttl", TTL),
                deployOutput(), ToolDef.Hints.change(false, false), call -> guarded(() -> deploy(call, call.string("name"))));
    }

    private ToolDef updateApp() {
        return new ToolDef("update_app", "Deploy a new version of an app",
                "Deploys new source for an existing app as a new version at the same URL, and returns once it serves. "
                        + "Give `files` or `upload_id` exactly as for deploy_app (same limits: " + FilesArchive.LIMITS_TEXT
                        + "). If the new version fails to start, the result is an error with the reason and its output, "
                        + "and the previous version keeps serving. Next: get_logs, or rollback_app to go back.",
                object(List.of(APP_ID), APP_ID, string("The app to update (from deploy_app or list_apps)."),
                        "files", FILES, "upload_id", UPLOAD_ID, "env", ENV, "ttl", TTL),
                deployOutput(), ToolDef.Hints.change(false, false),
                call -> guarded(() -> deploy(call, vibed.app(call.caller(), call.string(APP_ID)).name())));
    }

    private ToolResult deploy(ToolCall call, String name) {
        Map<String, Object> files = call.object("files");
        String uploadId = call.string("upload_id");
        if ((files == null) == (uploadId == null)) {
            throw Problem.badRequest("invalid_arguments", "give exactly one of `files` (a map of path to content) or "
                    + "`upload_id` (from create_upload)");
        }
        Map<String, Object> envArg = call.object("env");
        Map<String, String> env = new LinkedHashMap<>();
        if (envArg != null) {
            envArg.forEach((k, v) -> env.put(k, v == null ? null : String.valueOf(v)));
        }
        DeployRequest request = new DeployRequest(name, env, call.ttl("ttl"));
        DeployProgress progress = (stage, message) -> call.progress().report(stage.step(), (double) DeployProgress.Stage.count(),
                stage.wire() + (message == null ? "" : ": " + message));
        DeployOutcome outcome = files != null
                ? vibed.deployFiles(call.caller(), files, request, progress)
                : vibed.deployUpload(call.caller(), uploadId, request, progress);
        AppView app = outcome.app();
        return switch (outcome.state()) {
            case FAILED -> ToolResult.failure("deploy_failed: version " + outcome.version() + " of " + app.id()
                    + " did not start: " + (app.message() == null ? "the app failed to start" : app.message())
                    + (app.lastCrashLog() == null || app.lastCrashLog().isBlank() ? ""
                    : "\n\nits output (last lines):\n" + app.lastCrashLog())
                    + "\n\nFix the code and call " + (outcome.created() ? "deploy_app" : "update_app") + " again; "
                    + "get_logs {app_id: \"" + app.id() + "\"} shows more output.");
            case SERVING, PENDING -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(APP_ID, app.id());
                out.put("name", app.name());
                out.put("url", app.url());
                out.put("phase", app.phase());
                out.put("template", outcome.classification().template());
                out.put("rule", outcome.classification().rule());
                out.put("version", outcome.version());
                out.put("created", outcome.created());
                out.values().removeIf(java.util.Objects::isNull);
                String text = outcome.state() == DeployOutcome.State.SERVING
                        ? "Deployed " + app.name() + " version " + outcome.version() + ": " + app.url() + " serves ("
                        + outcome.classification().template() + ", " + outcome.classification().reason() + ")."
                        : "Version " + outcome.version() + " of " + app.name() + " is still starting (" + app.phase()
                        + (app.message() == null ? "" : ": " + app.message()) + "). Call get_app {app_id: \"" + app.id()
                        + "\"} in a few seconds; it will serve at " + app.url();
                yield ToolResult.ok(out, text);
            }
        };
    }

    private ToolDef createUpload() {
        long maxMb = vibed.limits().maxSourceBytes() >> 20;
        return new ToolDef("create_upload", "Get a one-time upload URL",
                "Creates a one-time URL for a project too big for deploy_app's files map (up to " + maxMb + " MiB "
                        + "as .tar.gz). PUT the archive there without credentials, for example: "
                        + "`tar czf app.tar.gz -C ./my-app . && curl -sS -T app.tar.gz '<upload_url>'`. The URL works "
                        + "once and expires at expires_at. Then call deploy_app {name, upload_id} (or update_app).",
                object(List.of()),
                object(List.of("upload_id", "upload_url", "expires_at"),
                        "upload_id", string("Pass this to deploy_app or update_app after the upload."),
                        "upload_url", string("PUT the .tar.gz here (one time, no credentials needed)."),
                        "expires_at", string("When the URL stops working (ISO-8601)."),
                        "max_bytes", Map.of("type", "integer", "description", "The largest archive accepted.")),
                new ToolDef.Hints(false, false, false, false), call -> guarded(() -> {
                    UploadTicket t = vibed.createUpload(call.caller(), call.apiBase());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("upload_id", t.uploadId());
                    out.put("upload_url", t.uploadUrl());
                    out.put("expires_at", t.expiresAt().toString());
                    out.put("max_bytes", t.maxBytes());
                    return ToolResult.ok(out, "PUT the .tar.gz to " + t.uploadUrl() + " (e.g. curl -sS -T app.tar.gz '"
                            + t.uploadUrl() + "') before " + t.expiresAt() + ", then call deploy_app {name, upload_id: \""
                            + t.uploadId() + "\"}.");
                }));
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    private static Map<String, Object> appOutput() {
        return object(List.of(APP_ID, "name", "phase", "url"),
                APP_ID, string("The app's id."),
                "name", string("The app's name."),
                "phase", string("Pending, Claiming, Starting, Ready, Suspended, Failed or Deleting."),
                "url", string("The public URL."),
                "template", string("The runtime: static, node, python or workerd."),
                "rule", string("Why that runtime was chosen."),
                "active_version", Map.of("type", "integer"),
                "serving_version", Map.of("type", "integer", "description", "The version the URL serves (0: none)."),
                "expires_at", string("When the app expires (absent: never)."),
                "suspended", bool("True while suspended."),
                "restarts", Map.of("type", "integer"),
                "message", string("What the platform says about the app right now."),
                "last_crash_log", string("The output of the last crash, when there was one."),
                "env", stringMap("The env names, values masked."));
    }

    private static Map<String, Object> app(AppView a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(APP_ID, a.id());
        out.put("name", a.name());
        out.put("phase", a.phase());
        out.put("url", a.url());
        out.put("template", a.template());
        out.put("rule", a.rule());
        out.put("active_version", a.activeVersion());
        out.put("serving_version", a.servingVersion());
        if (a.expiresAt() != null) {
            out.put("expires_at", a.expiresAt().toString());
        }
        out.put("suspended", a.suspended());
        out.put("restarts", a.restarts());
        if (a.message() != null) {
            out.put("message", a.message());
        }
        if (a.lastCrashLog() != null) {
            out.put("last_crash_log", a.lastCrashLog());
        }
        out.put("env", a.env());
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    private static String appText(AppView a) {
        return a.name() + " (" + a.id() + ") is " + a.phase() + " at " + a.url() + ", version " + a.activeVersion()
                + (a.servingVersion() > 0 && a.servingVersion() != a.activeVersion() ? " (serving " + a.servingVersion() + ")" : "")
                + (a.expiresAt() == null ? "" : ", expires " + a.expiresAt())
                + (a.message() == null ? "" : ". " + a.message());
    }

    private static Map<String, Object> appIdInput(String what) {
        return object(List.of(APP_ID), APP_ID, string(what));
    }

    private ToolDef appTool(String name, String title, String description, ToolDef.Hints hints, Map<String, Object> input,
                            Function<ToolCall, AppView> action) {
        return new ToolDef(name, title, description, input, appOutput(), hints, call -> guarded(() -> {
            AppView a = action.apply(call);
            return ToolResult.ok(app(a), appText(a));
        }));
    }

    private ToolDef getApp() {
        return appTool("get_app", "Get an app",
                "Shows one app: phase, URL, versions, expiry, and the last crash output if it failed. Use it to follow "
                        + "a deploy that was still starting. Next: get_logs for the full output.",
                ToolDef.Hints.read(), appIdInput("The app's id (from deploy_app or list_apps)."),
                call -> vibed.app(call.caller(), call.string(APP_ID)));
    }

    private ToolDef listApps() {
        return new ToolDef("list_apps", "List apps",
                "Lists your apps, newest first, " + AppQuery.DEFAULT_LIMIT + " per page (at most " + AppQuery.MAX_LIMIT
                        + "). Filter by phase or by a search term in the name or id; pass next_cursor back as cursor "
                        + "for the next page. Next: get_app or get_logs on one of them.",
                object(List.of(),
                        "phase", string("Only apps in this phase (Ready, Failed, Suspended, ...)."),
                        "search", string("Only apps whose name or id contains this."),
                        "cursor", string("next_cursor of the previous page."),
                        "limit", integer("Apps per page.", 1, AppQuery.MAX_LIMIT)),
                object(List.of("apps"), "apps", array(appOutput(), "The apps on this page."),
                        "next_cursor", string("Pass as cursor for the next page; absent on the last page.")),
                ToolDef.Hints.read(), call -> guarded(() -> {
                    var page = vibed.apps(call.caller(), new AppQuery(call.string("phase"), call.string("search"),
                            call.string("cursor"), call.integer("limit")));
                    List<Map<String, Object>> apps = new ArrayList<>();
                    StringBuilder text = new StringBuilder(page.apps().isEmpty() ? "No apps." : "");
                    for (AppView a : page.apps()) {
                        apps.add(app(a));
                        text.append("- ").append(appText(a)).append('\n');
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("apps", apps);
                    if (page.nextCursor() != null) {
                        out.put("next_cursor", page.nextCursor());
                        text.append("More: call list_apps with cursor ").append(page.nextCursor());
                    }
                    return ToolResult.ok(out, text.toString().strip());
                }));
    }

    private ToolDef getLogs() {
        return new ToolDef("get_logs", "Get an app's output",
                "Returns the last lines the app wrote to stdout and stderr (default " + Vibed.DEFAULT_LOG_TAIL
                        + "), including dependency installs and crashes. Use it to find out why an app fails or "
                        + "misbehaves, then fix the code and call update_app.",
                object(List.of(APP_ID), APP_ID, string("The app's id."),
                        "tail", integer("How many of the last lines.", 1, 10_000)),
                object(List.of(APP_ID, "lines"), APP_ID, string("The app's id."),
                        "lines", array(object(List.of("seq", "stream", "line"),
                                "seq", Map.of("type", "integer"), "ts", string("When."),
                                "stream", string("stdout, stderr or system."), "line", string("The text.")), "Oldest first.")),
                ToolDef.Hints.read(), call -> guarded(() -> {
                    String id = call.string(APP_ID);
                    List<LogLine> lines = vibed.logs(call.caller(), id, call.integer("tail"));
                    List<Map<String, Object>> out = new ArrayList<>();
                    StringBuilder text = new StringBuilder();
                    for (LogLine l : lines) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("seq", l.seq());
                        if (l.ts() != null) {
                            line.put("ts", l.ts());
                        }
                        line.put("stream", l.stream() == null ? "stdout" : l.stream());
                        line.put("line", l.line() == null ? "" : l.line());
                        out.add(line);
                        text.append(l.line()).append('\n');
                    }
                    return ToolResult.ok(Map.of(APP_ID, id, "lines", out), lines.isEmpty() ? "(no output yet)" : text.toString());
                }));
    }

    private ToolDef listVersions() {
        return new ToolDef("list_versions", "List an app's versions",
                "Lists an app's versions, newest first, with their outcome (live, failed, replaced, ...). Next: "
                        + "rollback_app {app_id, version} to make an older one live again.",
                appIdInput("The app's id."),
                object(List.of(APP_ID, "versions"), APP_ID, string("The app's id."),
                        "versions", array(object(List.of("version", "active"),
                                "version", Map.of("type", "integer"), "created_at", string("When it was deployed."),
                                "template", string("Its runtime."), "outcome", string("live, failed, replaced, pending or inactive."),
                                "active", bool("True for the version the app should run.")), "Newest first.")),
                ToolDef.Hints.read(), call -> guarded(() -> {
                    String id = call.string(APP_ID);
                    List<Map<String, Object>> out = new ArrayList<>();
                    StringBuilder text = new StringBuilder();
                    for (AppView.VersionView v : vibed.versions(call.caller(), id)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("version", v.version());
                        m.put("created_at", v.createdAt().toString());
                        m.put("template", v.template());
                        m.put("outcome", v.outcome());
                        m.put("active", v.active());
                        out.add(m);
                        text.append("v").append(v.version()).append(' ').append(v.outcome()).append(v.active() ? " (active)" : "")
                                .append(", ").append(v.createdAt()).append('\n');
                    }
                    return ToolResult.ok(Map.of(APP_ID, id, "versions", out), text.toString().strip());
                }));
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    private ToolDef rollbackApp() {
        return appTool("rollback_app", "Roll back to an older version",
                "Makes an older version of the app live again (it becomes a new version with that source and env). "
                        + "Find the numbers with list_versions. Next: get_app to see it serve.",
                ToolDef.Hints.change(false, false),
                object(List.of(APP_ID, "version"), APP_ID, string("The app's id."),
                        "version", integer("The version to roll back to.", 1, Integer.MAX_VALUE)),
                call -> vibed.rollback(call.caller(), call.string(APP_ID), call.integer("version")));
    }

    private ToolDef setEnv() {
        return appTool("set_env", "Replace an app's environment",
                "Replaces the app's environment variables (all of them: names you leave out are removed) and restarts "
                        + "it as a new version. Values are never shown back. Next: get_app to see it serve again.",
                ToolDef.Hints.change(false, true),
                object(List.of(APP_ID, "env"), APP_ID, string("The app's id."), "env", ENV),
                call -> {
                    Map<String, Object> raw = call.object("env");
                    Map<String, String> env = null;
                    if (raw != null) {
                        env = new LinkedHashMap<>();
                        for (var e : raw.entrySet()) {
                            env.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue()));
                        }
                    }
                    return vibed.setEnv(call.caller(), call.string(APP_ID), env);
                });
    }

    private ToolDef suspendApp() {
        return appTool("suspend_app", "Suspend an app",
                "Stops the app and frees its sandbox; the URL stops serving until resume_app. Nothing is lost.",
                ToolDef.Hints.change(false, true), appIdInput("The app's id."),
                call -> vibed.suspend(call.caller(), call.string(APP_ID)));
    }

    private ToolDef resumeApp() {
        return appTool("resume_app", "Resume an app",
                "Starts a suspended app again with its active version; the URL serves again within seconds. Next: get_app.",
                ToolDef.Hints.change(false, true), appIdInput("The app's id."),
                call -> vibed.resume(call.caller(), call.string(APP_ID)));
    }

    private ToolDef extendTtl() {
        return appTool("extend_ttl", "Extend an app's lifetime",
                "Sets the app to expire ttl from now (e.g. \"2h\", \"7d\"; \"0\" never, where allowed). Expired apps "
                        + "are deleted.",
                ToolDef.Hints.change(false, true),
                object(List.of(APP_ID, "ttl"), APP_ID, string("The app's id."), "ttl", TTL),
                call -> vibed.extendTtl(call.caller(), call.string(APP_ID), call.ttl("ttl")));
    }

    private ToolDef deleteApp() {
        return new ToolDef("delete_app", "Delete an app",
                "Deletes the app, all its versions and its URL. This cannot be undone.",
                appIdInput("The app's id."),
                object(List.of(APP_ID, "deleted"), APP_ID, string("The app's id."), "deleted", bool("True once deleted.")),
                ToolDef.Hints.change(true, true), call -> guarded(() -> {
                    String id = call.string(APP_ID);
                    vibed.delete(call.caller(), id);
                    return ToolResult.ok(Map.of(APP_ID, id, "deleted", true), "Deleted " + id + ".");
                }));
    }

    private static ToolResult guarded(java.util.function.Supplier<ToolResult> work) {
        try {
            return work.get();
        } catch (Problem p) {
            return ToolResult.problem(p);
        }
    }
}
