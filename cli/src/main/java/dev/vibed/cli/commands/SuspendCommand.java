package dev.vibed.cli.commands;

import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vibed suspend APP}: releases the app's sandbox; its URL shows a "suspended" page until resumed. */
@Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspend an app (frees its sandbox; `resume` brings it back).")
public final class SuspendCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        var api = connection.client();
        JsonObject after = api.post("/v1/apps/" + Apps.id(Apps.find(api, app)) + "/suspend", "{}");
        System.err.println("suspended " + after.getString("name") + "; bring it back with `vibed resume " + app + "`");
        return 0;
    }
}
