package dev.vibed.agent.testing;

import dev.vibed.core.testing.RepoRoot;

import java.nio.file.Files;
import java.nio.file.Path;

/** Real runtimes the tests need; a missing one fails the test with the command that installs it. */
public final class Binaries {
    private Binaries() {
    }

    public static Path workerd() {
        String env = System.getenv("VIBED_WORKERD");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        Path tools = RepoRoot.find().resolve(".tools/node_modules/@cloudflare/workerd-linux-64/bin/workerd");
        if (Files.isExecutable(tools)) {
            return tools;
        }
        throw new AssertionError("workerd not found (env VIBED_WORKERD or " + tools + "); install it with: "
                + "npm install --prefix .tools workerd");
    }

    public static Path bwrap() {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, "bwrap");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("bubblewrap is not installed; install it with: apt-get install -y bubblewrap");
    }

    public static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }
}
