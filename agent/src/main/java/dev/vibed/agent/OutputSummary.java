package dev.vibed.agent;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Picks the few lines of an installer's or a build's output that say why it failed, for a one-line message. */
final class OutputSummary {
    private static final Pattern EXPLICIT_ERROR = Pattern.compile("(?i)error:\\s");
    /** npm's own chatter around a script: its headers ("> build", "> vite build") and its notices. */
    private static final Pattern NPM_NOISE = Pattern.compile("^(>\\s|npm (notice|warn|error|ERR!)(\\s|$))");
    private static final int MAX_LINES = 3;
    private static final int MAX_CHARS = 600;

    private OutputSummary() {
    }

    /**
     * An installer's most telling lines: explicit "...Error: ..." / "ERROR: ..." messages (pip, npm's FetchError),
     * else any line mentioning an error (npm's "npm error code E404"), else its last lines. The first ones win:
     * installers report the cause first and then its consequences.
     */
    static String install(List<String> output) {
        List<String> lines = clean(output).stream().filter(l -> !l.contains("complete log of this run")).toList();
        List<String> explicit = lines.stream().filter(l -> EXPLICIT_ERROR.matcher(l).find()).toList();
        List<String> mentions = lines.stream().filter(l -> mentionsError(l) && !l.equalsIgnoreCase("npm error"))
                .toList();
        List<String> picked = !explicit.isEmpty() ? first(explicit) : !mentions.isEmpty() ? first(mentions)
                : last(lines);
        return join(picked);
    }

    /**
     * A build's last lines mentioning an error, else its last lines. The last ones win: bundlers and compilers
     * print progress first and end with the error that stopped them; npm's lines only repeat the exit code.
     */
    static String build(List<String> output) {
        List<String> lines = clean(output).stream().filter(l -> !NPM_NOISE.matcher(l).find()).toList();
        List<String> errors = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!mentionsError(line)) {
                continue;
            }
            // "Error: next/font: error:" says what failed on the line after it: keep the two together.
            if (line.endsWith(":") && i + 1 < lines.size() && !mentionsError(lines.get(i + 1))) {
                line = line + " " + lines.get(i + 1);
            }
            errors.add(line);
        }
        return join(last(errors.isEmpty() ? lines : errors));
    }

    private static List<String> clean(List<String> output) {
        return output.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static boolean mentionsError(String line) {
        return line.toLowerCase(Locale.ROOT).contains("error");
    }

    private static List<String> first(List<String> lines) {
        return lines.subList(0, Math.min(MAX_LINES, lines.size()));
    }

    private static List<String> last(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
    }

    private static String join(List<String> picked) {
        String s = picked.isEmpty() ? "no output" : String.join("; ", picked);
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "…" : s;
    }
}
