package dev.vibed.kube.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of a cluster component: a flag {@code --some-name value} wins over the environment variable
 * {@code VIBED_SOME_NAME}, which wins over the default. Containers set env; people running locally pass flags.
 */
public final class Settings {
    private final Map<String, String> flags;
    private final Map<String, String> env;

    public Settings(Map<String, String> flags, Map<String, String> env) {
        this.flags = Map.copyOf(flags);
        this.env = Map.copyOf(env);
    }

    public static Settings from(String[] args) {
        return new Settings(parseFlags(args), System.getenv());
    }

    public static Map<String, String> parseFlags(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                out.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                out.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("flag " + arg + " needs a value");
            }
        }
        return out;
    }

    public Optional<String> get(String name) {
        String flag = flags.get(name);
        if (flag != null) {
            return Optional.of(flag);
        }
        String value = env.get("VIBED_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public String required(String name) {
        return get(name).orElseThrow(() -> new IllegalArgumentException("missing setting --" + name + " (env VIBED_"
                + name.toUpperCase(Locale.ROOT).replace('-', '_') + ")"));
    }

    public int integer(String name, int fallback) {
        String value = get(name, null);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'");
        }
    }

    public boolean bool(String name, boolean fallback) {
        return get(name).map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")).orElse(fallback);
    }

    /** Durations as {@code 500ms}, {@code 10s}, {@code 5m} or ISO-8601 ({@code PT10S}). */
    public Duration duration(String name, Duration fallback) {
        String value = get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 500ms, 10s or 5m, not '" + value + "'");
        }
    }
}
