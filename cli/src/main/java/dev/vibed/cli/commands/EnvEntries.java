package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code K=V} entries from the command line and from an env file (dotenv style: comments, optional quotes). */
final class EnvEntries {
    private EnvEntries() {
    }

    /** The file's entries, then the flags' (a flag wins over the file). */
    static Map<String, String> read(Path file, List<String> flags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliError(CliError.USAGE, "cannot read the env file " + file + ": " + e.getMessage());
            }
            int n = 0;
            for (String raw : lines) {
                n++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring(7).strip();
                }
                put(out, line, file + " line " + n);
            }
        }
        for (String flag : flags) {
            put(out, flag, "--env " + flag);
        }
        return out;
    }

    private static void put(Map<String, String> out, String entry, String where) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new CliError(CliError.USAGE, where + ": expected NAME=VALUE");
        }
        String value = entry.substring(eq + 1);
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        out.put(entry.substring(0, eq).strip(), value);
    }
}
