package dev.vibed.cli.commands;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code vibed apps}: your apps, one line each. */
@Command(name = "apps", mixinStandardHelpOptions = true, description = "List your apps.")
public final class AppsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print {\"apps\": [...]} as the server shows them")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        List<JsonObject> apps = Apps.all(connection.client(), null);
        if (json) {
            JsonArrayBuilder items = Json.createArrayBuilder();
            apps.forEach(items::add);
            System.out.println(Json.createObjectBuilder().add("apps", items).build());
            return 0;
        }
        if (apps.isEmpty()) {
            System.err.println("no apps yet; deploy one with `vibed deploy`");
            return 0;
        }
        Output.table(List.of("NAME", "ID", "PHASE", "VERSION", "URL"), apps.stream().map(a -> List.of(
                Output.text(a, "name"), Output.text(a, "app_id"), Output.text(a, "phase"),
                Output.text(a, "active_version"), Output.text(a, "url"))).toList());
        return 0;
    }
}
