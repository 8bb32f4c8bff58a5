package dev.vibed.cli;

/**
 * The one error type of the CLI: a single line that says what went wrong and what to do, plus the process exit
 * code scripts can branch on. Anything printed after the line (a crash log tail) is in {@code detail}.
 */
public final class CliError extends RuntimeException {
    /** Something failed (a deploy that did not start, a bad answer). */
    public static final int FAILED = 1;
    /** Wrong command line (picocli's own usage errors use 2 as well). */
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int UNAUTHORISED = 4;
    public static final int NOT_FOUND = 5;
    public static final int QUOTA = 6;
    public static final int TOO_LARGE = 7;

    private final int exitCode;
    private final String detail;

    public CliError(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CliError(int exitCode, String message, String detail) {
        super(message);
        this.exitCode = exitCode;
        this.detail = detail;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Extra lines shown after the message (for example the app's crash output), or null. */
    public String detail() {
        return detail;
    }
}
