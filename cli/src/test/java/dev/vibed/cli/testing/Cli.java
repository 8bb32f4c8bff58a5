package dev.vibed.cli.testing;

import dev.vibed.core.testing.RepoRoot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the CLI the way a user does: the repository's {@code ./vibed} launcher as a separate process, in a given
 * folder, with its own config directory, so dispatch, the caller's working directory and terminal detection are
 * all part of what is tested. The launcher is given this JVM's java, so it does not search for a JDK.
 */
public final class Cli {
    public static final Path LAUNCHER = RepoRoot.find().resolve("vibed");

    private final Map<String, String> env = new HashMap<>();

    public Cli(String server, Path configHome) {
        env.put("VIBED_URL", server);
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("VIBED_JAVA", ProcessHandle.current().info().command().orElseThrow());
    }

    public Cli with(String name, String value) {
        Cli copy = new Cli(env.get("VIBED_URL"), Path.of(env.get("XDG_CONFIG_HOME")));
        copy.env.putAll(env);
        if (value == null) {
            copy.env.remove(name);
        } else {
            copy.env.put(name, value);
        }
        return copy;
    }

    public Cli as(String token) {
        return with("VIBED_TOKEN", token);
    }

    public record Result(int exit, String out, String err) {
        public String describe() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    public Result run(Path cwd, String... args) {
        return runWithInput(cwd, null, args);
    }

    /** Runs to completion with {@code stdin} (or an empty stdin), stdout and stderr read apart (both pipes). */
    public Result runWithInput(Path cwd, String stdin, String... args) {
        try {
            Process p = builder(cwd, args).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            return finish(p, "vibed " + String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs inside a pseudo-terminal ({@code script} from util-linux), as in an interactive shell; the result's
     * {@code out} is the terminal transcript (stdout and stderr together, as a person sees them).
     */
    public Result runInTerminal(Path cwd, String... args) {
        if (!Files.isExecutable(Path.of("/usr/bin/script"))) {
            throw new AssertionError("`script` is missing: install bsdutils (apt-get install bsdutils)");
        }
        String command = LAUNCHER + " " + java.util.Arrays.stream(args).map(Cli::shellQuote).collect(Collectors.joining(" "));
        try {
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command, "/dev/null").directory(cwd.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            pb.environment().put("TERM", "xterm");
            return finish(pb.start(), "vibed " + String.join(" ", args) + " (in a terminal)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads stdout to its end (stderr apart), then waits a bounded time for the exit. */
    private static Result finish(Process p, String what) throws IOException {
        var err = drain(p.getErrorStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " did not finish in 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Result(p.exitValue(), out, err.awaitEnd());
    }

    /** A long-running command (such as {@code logs -f}) whose stdout is collected as it arrives. */
    public Running start(Path cwd, String... args) {
        try {
            Process p = builder(cwd, args).start();
            p.getOutputStream().close();
            return new Running(p, drain(p.getInputStream()), drain(p.getErrorStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Collected out;
        private final Collected err;

        Running(Process process, Collected out, Collected err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public String out() {
            return out.get();
        }

        public String err() {
            return err.get();
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** Ends the process this test started (by its handle, as Ctrl-C would end it). */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private ProcessBuilder builder(Path cwd, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().remove("VIBED_TOKEN");
        pb.environment().putAll(env);
        return pb;
    }

    /** Text read from a stream on its own thread, readable at any time. */
    public static final class Collected {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final Thread reader;

        Collected(InputStream in) {
            reader = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (bytes) {
                            bytes.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
        }

        public String get() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        String awaitEnd() {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return get();
        }
    }

    private static Collected drain(InputStream in) {
        return new Collected(in);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
