package dev.vibed.cli.commands;

import dev.vibed.cli.term.Terminal;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vibed resume APP}: starts a suspended app again and waits until it serves. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a suspended app.")
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Option(names = "--no-wait", description = "return at once; do not wait for it to serve")
    boolean noWait;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        var api = connection.client();
        JsonObject after = api.post("/v1/apps/" + Apps.id(Apps.find(api, app)) + "/resume", "{}");
        Terminal term = Terminal.detect(false);
        if (!noWait) {
            after = Rollouts.untilServing(api, after, term, Rollouts.DEFAULT_TIMEOUT);
        }
        term.info("resumed " + after.getString("name"));
        System.out.println(after.getString("url", ""));
        return 0;
    }
}
