package dev.vibed.cli.commands;

import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.term.Terminal;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vibed rollback APP VERSION}: makes an older version live again and waits until it serves. */
@Command(name = "rollback", mixinStandardHelpOptions = true, description = "Make an older version live again.")
public final class RollbackCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "APP", description = "app id or name")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version to go back to (see `vibed versions APP`)")
    int version;

    @Option(names = "--no-wait", description = "return at once; do not wait for the version to serve")
    boolean noWait;

    @Option(names = {"-q", "--quiet"}, description = "print only the URL")
    boolean quiet;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        ApiClient api = connection.client();
        JsonObject found = Apps.find(api, app);
        JsonObject after = api.post("/v1/apps/" + Apps.id(found) + "/rollback",
                Json.createObjectBuilder().add("version", version).build().toString());
        Terminal term = Terminal.detect(quiet);
        if (!noWait) {
            after = Rollouts.untilServing(api, after, term, Rollouts.DEFAULT_TIMEOUT);
        }
        term.info("rolled " + after.getString("name") + " back to version " + version
                + (noWait ? " (starting)" : ", serving"));
        System.out.println(after.getString("url", ""));
        return 0;
    }
}
