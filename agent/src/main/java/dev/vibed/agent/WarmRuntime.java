package dev.vibed.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One runtime started before its app exists, in the sandbox the app will get (same bubblewrap mounts with the
 * reserved release at /app, uid, network, cgroup, rlimits and base env), blocked in its loader on standard input.
 * Releasing it hands the loader the app's cwd, main file, arguments and env; the loader then becomes the app as a
 * bare {@code node <main>} / {@code python3 <main>} would have been, and reports listen events on fd 3.
 */
final class WarmRuntime {

    /** A runtime the agent can pre-start: its loader, and the env names it reads at startup (so must not differ). */
    enum Kind {
        NODE("node", "-e", "warm-node.js"),
        PYTHON("python", "-c", "warm-python.py");

        final String wire;
        private final String flag;
        private final String loader;

        Kind(String wire, String flag, String resource) {
            this.wire = wire;
            this.flag = flag;
            this.loader = resource(resource);
        }

        static Kind fromWire(String name) {
            return Stream.of(values()).filter(k -> k.wire.equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("warm runtime '" + name + "' is not one of node, python, none"));
        }

        /** The interpreter plus its loader: {@code node -e <loader>}, {@code python3 -c <loader>}. */
        List<String> argv(Path interpreter) {
            return List.of(interpreter.toString(), flag, loader);
        }

        /**
         * Env the interpreter reads while it starts, before the loader could change it: module paths, options,
         * locale (ICU, Python's stream encodings), time zone, TLS roots. An app whose env sets one of these to another
         * value than the warm runtime started with is started cold.
         */
        boolean readsAtStartup(String name) {
            if (name.equals("LANG") || name.startsWith("LC_") || name.equals("TZ") || name.equals("HOME")
                    || name.startsWith("SSL_CERT_") || name.startsWith("OPENSSL_")) {
                return true;
            }
            return switch (this) {
                case NODE -> name.startsWith("NODE_") && !name.equals("NODE_ENV") || name.startsWith("UV_");
                case PYTHON -> name.startsWith("PYTHON");
            };
        }

        private static String resource(String name) {
            try (InputStream in = WarmRuntime.class.getResourceAsStream(name)) {
                return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What the loader needs to become the app. {@code main} is as the app's argv names it (relative to cwd). */
    record Launch(String cwd, String main, List<String> args, Map<String, String> env, int port) {
        /** NUL-terminated fields: cwd, main, port, argc, args, then env entries (NUL cannot occur in any). */
        byte[] bytes() {
            StringBuilder b = new StringBuilder();
            Stream.concat(Stream.of(cwd, main, Integer.toString(port), Integer.toString(args.size())), args.stream())
                    .forEach(f -> b.append(f).append('\0'));
            env.forEach((k, v) -> b.append(k).append('=').append(v).append('\0'));
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Kind kind;
    private final Path slot;
    private final Object slotKey;
    private final Map<String, String> env;
    private final UserProcesses.Running run;
    private final ListenEvents events;
    private final long startedNanos;

    WarmRuntime(Kind kind, Path slot, Map<String, String> env, UserProcesses.Running run, ListenEvents events)
            throws IOException {
        this.kind = kind;
        this.slot = slot;
        this.slotKey = key(slot);
        this.env = Map.copyOf(env);
        this.run = run;
        this.events = events;
        this.startedNanos = System.nanoTime();
        run.process().onExit().thenRun(events::close);
    }

    Kind kind() {
        return kind;
    }

    long pid() {
        return run.process().pid();
    }

    long ageMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * True when this runtime can become the app of {@code release}: still waiting, bound to that very directory
     * (the same inode: a reservation deleted and made again is another directory), and started with the same
     * values of everything the interpreter reads at startup.
     */
    boolean fits(Path release, Map<String, String> appEnv) {
        if (!run.process().isAlive() || !release.equals(slot) || !Objects.equals(slotKey, keyOrNull(release))) {
            return false;
        }
        Set<String> names = Stream.concat(env.keySet().stream(), appEnv.keySet().stream())
                .filter(kind::readsAtStartup).collect(Collectors.toSet());
        return names.stream().allMatch(n -> Objects.equals(env.get(n), appEnv.get(n)));
    }

    /** Hands the app to the loader. Its output so far (none: the loader prints nothing) starts the app's log. */
    UserProcesses.Running release(Launch launch, long firstSeq) throws IOException {
        try (OutputStream in = run.process().getOutputStream()) {
            in.write(launch.bytes());
        }
        return new UserProcesses.Running(run.process(), run.stdout(), run.stderr(), firstSeq);
    }

    ListenEvents events() {
        return events;
    }

    /** Ends an unused runtime: an empty message makes its loader exit 0; the kill covers a stuck one. */
    void discard() {
        try {
            run.process().getOutputStream().close();
        } catch (IOException e) {
            // Gone already.
        }
        ProcessTree.kill(run.process().toHandle());
        events.close();
    }

    private static Object key(Path dir) throws IOException {
        return Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
    }

    private static Object keyOrNull(Path dir) {
        try {
            return key(dir);
        } catch (IOException e) {
            return null;
        }
    }
}
