package dev.vibed.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** PATH lookups done by the agent itself, so a child's argv[0] never depends on the agent's own PATH. */
final class Executables {
    /** The PATH user processes get; also where their runtimes are looked up (never a pyenv or nvm shim). */
    static final String SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin";

    private Executables() {
    }

    static Optional<Path> find(String name, String searchPath) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Looks in the agent's own PATH: for tools the agent runs (bwrap, prlimit) and for workerd. */
    static Optional<Path> onAgentPath(String name) {
        return find(name, System.getenv("PATH"));
    }

    static Optional<Path> inSandboxPath(String name) {
        return find(name, SANDBOX_PATH);
    }
}
