package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code vibed open APP}: opens the app's URL with {@code $BROWSER} or {@code xdg-open}, and prints it. */
@Command(name = "open", mixinStandardHelpOptions = true, description = "Open an app's URL in a browser ($BROWSER, else xdg-open).")
public final class OpenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "APP", description = "app id or name")
    String app;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String url = Apps.find(connection.client(), app).getString("url", null);
        if (url == null) {
            throw new CliError(CliError.FAILED, app + " has no URL yet; see `vibed status " + app + "`");
        }
        System.out.println(url);
        String browser = System.getenv("BROWSER");
        String opener = browser != null && !browser.isBlank() ? browser : onPath("xdg-open");
        if (opener == null) {
            System.err.println("no browser found (set $BROWSER or install xdg-utils); open the URL above yourself");
            return 0;
        }
        Process p = new ProcessBuilder(opener, url).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int code = p.waitFor();
        if (code != 0) {
            throw new CliError(CliError.FAILED, opener + " could not open the URL (exit " + code + "); open it yourself");
        }
        return 0;
    }

    private static String onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, binary);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
