package dev.vibed.cli.http;

import dev.vibed.cli.CliError;
import jakarta.json.JsonObject;

/**
 * Turns the server's {@code {code, message}} errors into one line saying what to do, with the exit code for its
 * kind, so every command reports unauthorised, not found, quota and too-large answers the same way.
 */
public final class Errors {
    private Errors() {
    }

    public static CliError of(String server, Answer answer) {
        return of(server, answer.status(), answer.json());
    }

    public static CliError of(String server, int status, JsonObject body) {
        String code = body.getString("code", "http_" + status);
        String message = body.getString("message", "HTTP " + status);
        return switch (status) {
            case 401 -> new CliError(CliError.UNAUTHORISED, "not logged in to " + server + " (" + message
                    + "): run `vibed login --server " + server + "` or set VIBED_TOKEN");
            case 403 -> new CliError(CliError.UNAUTHORISED, "not allowed: " + message);
            case 404 -> new CliError(CliError.NOT_FOUND, "not found: " + message + "; see your apps with `vibed apps`");
            case 413 -> new CliError(CliError.TOO_LARGE, "too large: " + message
                    + "; list big files in .vibedignore to leave them out");
            case 429 -> new CliError(CliError.QUOTA, "quota: " + message
                    + "; wait a moment, or remove apps you no longer need with `vibed rm APP`");
            default -> status >= 500
                    ? new CliError(CliError.FAILED, "the server failed (HTTP " + status + ", " + code + "): " + message
                    + "; try again, and check the server's log if it keeps failing")
                    : new CliError(CliError.FAILED, "refused (" + code + "): " + message);
        };
    }
}
