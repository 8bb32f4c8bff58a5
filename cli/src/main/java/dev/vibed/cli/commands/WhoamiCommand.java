package dev.vibed.cli.commands;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code vibed whoami}: who the server thinks you are ({@code GET /v1/me}) and how much of your quota you use. */
@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show who the server thinks you are.")
public final class WhoamiCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print the server's answer")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        var api = connection.client();
        JsonObject me = api.get("/v1/me");
        if (json) {
            System.out.println(me);
            return 0;
        }
        String roles = me.getJsonArray("roles").stream().map(v -> v.getValueType() == JsonValue.ValueType.STRING
                ? ((jakarta.json.JsonString) v).getString() : v.toString()).collect(Collectors.joining(","));
        System.out.println(me.getString("subject") + " on " + api.server() + (roles.isEmpty() ? "" : " (roles: " + roles + ")")
                + ", " + me.getInt("apps") + " of " + me.getInt("max_apps") + " apps");
        return 0;
    }
}
