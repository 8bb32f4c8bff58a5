package dev.vibed.cli.commands;

import dev.vibed.cli.config.CliConfig;
import dev.vibed.cli.config.Connection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code vibed logout}: forgets the saved key of a server (the key itself stays valid on the server). */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the saved API key of a server.")
public final class LogoutCommand implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL", description = "server to log out of (default: the saved server)")
    String server;

    @Override
    public Integer call() {
        CliConfig config = CliConfig.load(CliConfig.defaultFile(System.getenv()));
        String url = Connection.resolve(server, null, System.getenv(), config).server();
        System.err.println(config.removeToken(url) ? "logged out of " + url : "no saved key for " + url);
        return 0;
    }
}
