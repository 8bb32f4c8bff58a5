package dev.vibed.cli.commands;

import dev.vibed.cli.config.CliConfig;
import dev.vibed.cli.config.Connection;
import dev.vibed.cli.http.ApiClient;
import picocli.CommandLine.Option;

/** {@code --server} and {@code --token}, shared by every command that talks to a server. */
public final class ConnectionOptions {
    @Option(names = "--server", paramLabel = "URL",
            description = "vibeD server (default: $VIBED_URL, then the saved login, then " + Connection.DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $VIBED_TOKEN, then the token saved by `vibed login` for the server)")
    String token;

    public CliConfig config() {
        return CliConfig.load(CliConfig.defaultFile(System.getenv()));
    }

    public Connection connection() {
        return Connection.resolve(server, token, System.getenv(), config());
    }

    public ApiClient client() {
        return new ApiClient(connection());
    }
}
