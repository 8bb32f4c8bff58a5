package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The binaries user apps run on, resolved once at start. node, npm and python3 come from the sandbox PATH
 * (/usr/bin on Debian) because the same paths must resolve inside bubblewrap, where only /usr is visible;
 * workerd is usually an npm download elsewhere, so its directory is exposed to the sandbox explicitly.
 */
record Runtimes(Path node, Path npm, Path python3, Path workerd) {

    static Runtimes detect(Path workerdFlag) {
        return new Runtimes(
                Executables.inSandboxPath("node").orElse(null),
                Executables.inSandboxPath("npm").orElse(null),
                Executables.inSandboxPath("python3").orElse(null),
                findWorkerd(workerdFlag).orElse(null));
    }

    private static Optional<Path> findWorkerd(Path flag) {
        Optional<Path> found;
        if (flag != null) {
            found = Executables.find(flag.toString(), null).or(() -> Executables.onAgentPath(flag.toString()));
        } else {
            String env = System.getenv("VIBED_WORKERD");
            found = env != null && !env.isBlank() ? Executables.find(env, System.getenv("PATH"))
                    : Executables.onAgentPath("workerd");
        }
        // Resolve links: the directory exposed read-only to the sandbox must be the one holding the real binary.
        return found.map(p -> {
            try {
                return p.toRealPath();
            } catch (IOException e) {
                return p;
            }
        });
    }
}
