package dev.vibed.cli.commands;

import dev.vibed.cli.http.ApiClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code vibed versions APP}: every deploy of the app, newest first; {@code *} marks the active one. */
@Command(name = "versions", mixinStandardHelpOptions = true, description = "List an app's versions (newest first).")
public final class VersionsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Option(names = "--json", description = "print {\"versions\": [...]} as the server shows them")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        ApiClient api = connection.client();
        JsonObject versions = api.get("/v1/apps/" + Apps.id(Apps.find(api, app)) + "/versions");
        if (json) {
            System.out.println(versions);
            return 0;
        }
        List<List<String>> rows = versions.getJsonArray("versions").stream().map(JsonValue::asJsonObject)
                .map(v -> List.of((v.getBoolean("active", false) ? "*" : " ") + Output.text(v, "version"),
                        Output.text(v, "created_at"), Output.text(v, "template"), Output.text(v, "outcome"),
                        Output.text(v, "source_sha256").substring(0, Math.min(12, Output.text(v, "source_sha256").length()))))
                .toList();
        Output.table(List.of(" VERSION", "CREATED", "TEMPLATE", "OUTCOME", "SOURCE"), rows);
        return 0;
    }
}
