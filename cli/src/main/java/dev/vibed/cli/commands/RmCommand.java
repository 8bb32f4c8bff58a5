package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.term.Terminal;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.util.concurrent.Callable;

/** {@code vibed rm APP}: deletes the app; asks first on a terminal unless {@code --yes}, never when piped. */
@Command(name = "rm", aliases = "delete", mixinStandardHelpOptions = true, description = "Delete an app (its URL then answers 404).")
public final class RmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Option(names = {"-y", "--yes"}, description = "do not ask (on a terminal the CLI asks first)")
    boolean yes;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        var api = connection.client();
        JsonObject found = Apps.find(api, app);
        Console console = System.console();
        if (!yes && Terminal.stdoutIsTerminal() && console != null) {
            String answer = console.readLine("delete %s (%s, %s)? [y/N] ", found.getString("name"), Apps.id(found),
                    found.getString("url", "no URL"));
            if (answer == null || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                throw new CliError(CliError.FAILED, "not deleted");
            }
        }
        api.delete("/v1/apps/" + Apps.id(found));
        System.err.println("deleted " + found.getString("name") + " (" + Apps.id(found) + ")");
        return 0;
    }
}
