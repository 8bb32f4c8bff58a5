package dev.vibed.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The CLI's saved settings: the default server and one token per server, in the XDG config directory
 * ({@code $XDG_CONFIG_HOME/vibed/config}, else {@code ~/.config/vibed/config}). Tokens are secrets, so the
 * directory is 0700 and the file 0600, written whole to a private temporary file and moved into place.
 */
public final class CliConfig {
    private static final String SERVER = "server";
    private static final String TOKEN_PREFIX = "token.";

    private final Path file;
    private final Properties values;

    private CliConfig(Path file, Properties values) {
        this.file = file;
        this.values = values;
    }

    public static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("vibed").resolve("config");
    }

    public static CliConfig load(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new CliConfig(file, p);
    }

    public Path file() {
        return file;
    }

    public Optional<String> server() {
        return Optional.ofNullable(values.getProperty(SERVER));
    }

    public Optional<String> token(String server) {
        return Optional.ofNullable(values.getProperty(TOKEN_PREFIX + server));
    }

    /** Saves a token for a server and makes that server the default. */
    public void saveLogin(String server, String token) {
        values.setProperty(SERVER, server);
        values.setProperty(TOKEN_PREFIX + server, token);
        write();
    }

    /** Forgets the token of a server; true if there was one. */
    public boolean removeToken(String server) {
        boolean had = values.remove(TOKEN_PREFIX + server) != null;
        if (had) {
            write();
        }
        return had;
    }

    private void write() {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = Files.createTempFile(dir, ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringWriter text = new StringWriter();
            values.store(text, "vibed CLI settings (holds API tokens: keep it private)");
            Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
