package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.config.CliConfig;
import dev.vibed.cli.config.Connection;
import dev.vibed.cli.http.Answer;
import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.http.Errors;
import dev.vibed.cli.term.Terminal;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code vibed login}: checks an API key against the server ({@code GET /v1/me}) and saves it for that server in
 * the config file (mode 0600). The key comes from {@code --token}, {@code --token-stdin}, or a hidden prompt on
 * a terminal. The OIDC device flow would be offered here when the server publishes it; no vibeD server does yet,
 * and the command says so instead of pretending.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Save an API key for a server (checked first with the server).",
                "The key is stored in $XDG_CONFIG_HOME/vibed/config (mode 0600) and used by later commands."})
public final class LoginCommand implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL", description = "server to log in to (default: $VIBED_URL, the saved server, "
            + Connection.DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--token", paramLabel = "KEY", description = "the API key (visible in your shell history: prefer the prompt or --token-stdin)")
    String token;

    @Option(names = "--token-stdin", description = "read the API key from stdin (for scripts)")
    boolean tokenStdin;

    @Override
    public Integer call() throws IOException {
        CliConfig config = CliConfig.load(CliConfig.defaultFile(System.getenv()));
        String url = Connection.resolve(server, null, System.getenv(), config).server();
        String key = token;
        if (key == null && tokenStdin) {
            key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (key == null) {
            System.err.println(deviceFlowNote(url));
            Console console = System.console();
            if (!Terminal.stdoutIsTerminal() || console == null) {
                throw new CliError(CliError.USAGE, "no API key given: pass --token KEY or --token-stdin "
                        + "(there is no prompt when not on a terminal)");
            }
            char[] typed = console.readPassword("API key for %s: ", url);
            key = typed == null ? null : new String(typed);
        }
        if (key == null || key.isBlank()) {
            throw new CliError(CliError.USAGE, "the API key is empty");
        }
        key = key.strip();
        ApiClient api = new ApiClient(new Connection(url, key));
        Answer me = api.call("GET", "/v1/me", null);
        if (me.status() == 401 || me.status() == 403) {
            throw new CliError(CliError.UNAUTHORISED, "the server at " + url + " did not accept this API key ("
                    + me.json().getString("message", "HTTP " + me.status()) + "); check it with whoever runs the server");
        }
        if (me.status() >= 400) {
            throw Errors.of(url, me);
        }
        JsonObject who = me.json();
        config.saveLogin(url, key);
        System.err.println("logged in to " + url + " as " + who.getString("subject", "?") + "; key saved in "
                + config.file() + " (readable only by you)");
        return 0;
    }

    /** Whether the server publishes an OIDC issuer with a device flow (RFC 9728 metadata); today none does. */
    private static String deviceFlowNote(String url) {
        Answer meta;
        try {
            meta = new ApiClient(new Connection(url, null)).call("GET", "/.well-known/oauth-protected-resource", null);
        } catch (CliError e) {
            return "note: " + e.getMessage();
        }
        if (meta.status() == 200 && meta.json().containsKey("authorization_servers")) {
            return "note: this server names an OIDC issuer, but this CLI signs in with API keys only; "
                    + "ask the server's operator for a key";
        }
        return "note: this server does not offer the OIDC device flow (no sign-in in a browser); log in with an API key";
    }
}
