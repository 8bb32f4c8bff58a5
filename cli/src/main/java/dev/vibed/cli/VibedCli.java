package dev.vibed.cli;

import dev.vibed.cli.commands.AppsCommand;
import dev.vibed.cli.commands.CompletionCommand;
import dev.vibed.cli.commands.DeployCommand;
import dev.vibed.cli.commands.EnvCommand;
import dev.vibed.cli.commands.LoginCommand;
import dev.vibed.cli.commands.LogoutCommand;
import dev.vibed.cli.commands.LogsCommand;
import dev.vibed.cli.commands.OpenCommand;
import dev.vibed.cli.commands.ResumeCommand;
import dev.vibed.cli.commands.RmCommand;
import dev.vibed.cli.commands.RollbackCommand;
import dev.vibed.cli.commands.StatusCommand;
import dev.vibed.cli.commands.SuspendCommand;
import dev.vibed.cli.commands.VersionsCommand;
import dev.vibed.cli.commands.WhoamiCommand;
import dev.vibed.cli.term.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.UncheckedIOException;

/**
 * The {@code vibed} command line: deploy a folder and manage apps on a vibeD server from any directory. The
 * {@code ./vibed} launcher runs {@code up}, {@code test} and {@code build} itself and hands every other command
 * here. Errors end as one line on stderr ({@code vibed: ...}) and an exit code per kind (see {@link CliError}).
 */
@Command(name = "vibed", mixinStandardHelpOptions = true, version = "vibed CLI 0.1.0",
        description = "Deploy a folder to vibeD and manage your apps.",
        subcommands = {DeployCommand.class, AppsCommand.class, StatusCommand.class, LogsCommand.class,
                VersionsCommand.class, RollbackCommand.class, EnvCommand.class, SuspendCommand.class,
                ResumeCommand.class, RmCommand.class, OpenCommand.class, LoginCommand.class, LogoutCommand.class,
                WhoamiCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Server and token: --server/--token, then $VIBED_URL/$VIBED_TOKEN, then `vibed login`.",
                "The launcher also runs: ./vibed up (start vibeD), ./vibed test, ./vibed build, ./vibed install-cli.",
                "Exit codes: 0 ok, 1 failed, 2 usage, 3 unreachable, 4 unauthorised, 5 not found, 6 quota, 7 too large."})
public final class VibedCli implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new VibedCli());
        CommandLine.Help.Ansi ansi = Terminal.stdoutIsTerminal() ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF;
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliError e) {
                System.err.println("vibed: " + e.getMessage());
                if (e.detail() != null) {
                    System.err.println(e.detail());
                }
                return e.exitCode();
            }
            if (ex instanceof UncheckedIOException || ex instanceof java.io.IOException) {
                System.err.println("vibed: " + ex.getMessage());
                return CliError.FAILED;
            }
            System.err.println("vibed: unexpected error: " + ex + " (please report it)");
            return CliError.FAILED;
        });
        return cli.execute(args);
    }
}
