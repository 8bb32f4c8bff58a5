package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.term.Terminal;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vibed env APP}: shows the env names (values are always masked by the server); with {@code K=V} or
 * {@code --unset K} changes only those entries and keeps the rest (a new version), then waits until it serves.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = {"Show an app's env, or change some entries (a new version; other entries are kept).",
                "Values are never shown: the server masks them."})
public final class EnvCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "APP", description = "app id or name")
    String app;

    @Parameters(index = "1..*", paramLabel = "K=V", description = "entries to set")
    List<String> set = List.of();

    @Option(names = "--unset", paramLabel = "K", description = "entry to remove (repeatable)")
    List<String> unset = List.of();

    @Option(names = "--json", description = "print the env as the server shows it (masked)")
    boolean json;

    @Option(names = "--no-wait", description = "return at once; do not wait for the new version to serve")
    boolean noWait;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        ApiClient api = connection.client();
        JsonObject found = Apps.find(api, app);
        if (set.isEmpty() && unset.isEmpty()) {
            JsonObject env = found.getJsonObject("env");
            if (json) {
                System.out.println(Json.createObjectBuilder().add("env", env).build());
            } else if (env.isEmpty()) {
                System.err.println("no env set; add some with `vibed env " + app + " NAME=VALUE`");
            } else {
                env.keySet().forEach(k -> System.out.println(k + "=" + env.getString(k)));
            }
            return 0;
        }
        if (json) {
            throw new CliError(CliError.USAGE, "--json shows the env; it cannot be combined with changes");
        }
        Map<String, String> entries = EnvEntries.read(null, set);
        JsonObjectBuilder s = Json.createObjectBuilder();
        entries.forEach(s::add);
        JsonArrayBuilder u = Json.createArrayBuilder();
        unset.forEach(u::add);
        JsonObject after = api.patch("/v1/apps/" + Apps.id(found) + "/env",
                Json.createObjectBuilder().add("set", s).add("unset", u).build().toString());
        Terminal term = Terminal.detect(false);
        if (!noWait) {
            after = Rollouts.untilServing(api, after, term, Rollouts.DEFAULT_TIMEOUT);
        }
        term.info("env of " + after.getString("name") + " changed: version " + Apps.integer(after, "active_version")
                + (noWait ? " starting" : " serving") + "; names now: " + String.join(" ", after.getJsonObject("env").keySet()));
        return 0;
    }
}
