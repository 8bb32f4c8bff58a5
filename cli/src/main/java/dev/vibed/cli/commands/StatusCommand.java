package dev.vibed.cli.commands;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vibed status APP}: one app's state, the reason when it is not serving, and its last crash output. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show one app's state.")
public final class StatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Option(names = "--json", description = "print the app as the server shows it")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        JsonObject a = Apps.find(connection.client(), app);
        if (json) {
            System.out.println(a);
            return 0;
        }
        row("name", Output.text(a, "name"));
        row("id", Output.text(a, "app_id"));
        row("phase", Output.text(a, "phase"));
        row("url", Output.text(a, "url"));
        row("version", Output.text(a, "active_version") + " (serving " + Output.text(a, "serving_version") + ")");
        row("template", Output.text(a, "template") + " (" + Output.text(a, "lane") + " lane, rule " + Output.text(a, "rule") + ")");
        row("restarts", Output.text(a, "restarts"));
        row("deployed", Output.text(a, "last_deployed_at"));
        row("expires", Output.text(a, "expires_at"));
        StringBuilder env = new StringBuilder();
        a.getJsonObject("env").forEach((k, v) -> env.append(env.isEmpty() ? "" : " ").append(k).append('=')
                .append(v.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) v).getString() : v));
        row("env", env.isEmpty() ? "-" : env.toString());
        if (a.containsKey("message")) {
            row("message", a.getString("message"));
        }
        if (a.containsKey("last_crash_log")) {
            System.out.println("last output:");
            System.out.println(a.getString("last_crash_log").stripTrailing().indent(2).stripTrailing());
        }
        return 0;
    }

    private static void row(String key, String value) {
        System.out.printf("%-9s %s%n", key + ":", value);
    }
}
