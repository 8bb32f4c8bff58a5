package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: 90s, 10m, 2h, 7d (a bare number is seconds), for the CLI's own flags (how long
 * it waits, how far back logs go). Core's {@code Ttls} reads the same notation, yet this is not a rule written
 * twice: {@code --ttl} is sent as typed and judged by the server alone, while these flags never reach it. The CLI
 * stays a client of the REST API only, without core on its class path, so it keeps its own ten lines.
 */
final class Durations {
    private static final Pattern FORM = Pattern.compile("^(\\d{1,9})([smhd]?)$");

    private Durations() {
    }

    static Duration parse(String text, String flag) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new CliError(CliError.USAGE, flag + " '" + text + "' is not a duration; use 90s, 10m, 2h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
