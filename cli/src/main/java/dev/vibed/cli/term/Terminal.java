package dev.vibed.cli.term;

import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * What the CLI may do on this output: a progress bar, a rewritten status line and prompts only when stdout is a
 * terminal, so piping into a file or a script gives plain lines. The launcher knows best ({@code [ -t 1 ]}) and
 * passes {@code -Dvibed.tty=true|false}; without it the JVM's own console check decides.
 */
public final class Terminal {
    private final boolean interactive;
    private final boolean quiet;
    private final PrintStream err;

    public Terminal(boolean interactive, boolean quiet, PrintStream err) {
        this.interactive = interactive;
        this.quiet = quiet;
        this.err = err;
    }

    public static Terminal detect(boolean quiet) {
        return new Terminal(stdoutIsTerminal(), quiet, System.err);
    }

    /** Whether stdout is a terminal (and so a person is probably watching). */
    public static boolean stdoutIsTerminal() {
        String hint = System.getProperty("vibed.tty");
        if (hint != null && !hint.isBlank()) {
            return Boolean.parseBoolean(hint);
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: a console object exists even when redirected; isTerminal() says whether it is one.
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public boolean interactive() {
        return interactive;
    }

    public boolean quiet() {
        return quiet;
    }

    /** A status line for people, on stderr (stdout stays clean for what scripts read). */
    public void info(String line) {
        if (!quiet) {
            err.println(line);
        }
    }

    /** A progress bar on stderr, or nothing when stdout is not a terminal or with --quiet. */
    public ProgressBar progress(String label, long total) {
        return new ProgressBar(label, total, interactive && !quiet ? err : null);
    }

    /** A line rewritten in place on a terminal (the live phase); plain lines otherwise. */
    public StatusLine statusLine() {
        return new StatusLine(err, interactive, quiet);
    }
}
