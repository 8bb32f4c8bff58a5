package dev.vibed.core.lifecycle;

import dev.vibed.core.problem.Problem;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses TTLs as users write them: {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, a number of seconds, or {@code 0}. */
public final class Ttls {
    private static final Pattern FORM = Pattern.compile("^(\\d{1,9})([smhd]?)$");

    private Ttls() {
    }

    /** Returns {@link Duration#ZERO} for "no expiry". */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw Problem.badRequest("invalid_ttl", "ttl '" + text + "' is not a duration such as 30m, 24h or 7d (0 = no expiry)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
