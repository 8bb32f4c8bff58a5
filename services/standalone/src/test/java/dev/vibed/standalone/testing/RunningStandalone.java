package dev.vibed.standalone.testing;

import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.sandbox.ProcessAgentFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** Starts the standalone process in-JVM, as {@code ./vibed up} does, with real agent processes. */
public final class RunningStandalone {
    private RunningStandalone() {
    }

    public static Standalone start(Path dataDir, Set<String> templates) throws IOException {
        return start(StandaloneConfig.defaults(dataDir).withPort(0).withTemplates(templates));
    }

    public static Standalone start(StandaloneConfig config) throws IOException {
        return start(config, Standalone.Overrides.defaults());
    }

    /** With callers of the test's own choosing (two users, for ownership tests). */
    public static Standalone start(StandaloneConfig config, dev.vibed.api.http.CallerResolver callers) throws IOException {
        return start(config, Standalone.Overrides.defaults().withCallers(callers));
    }

    public static Standalone start(StandaloneConfig config, Standalone.Overrides overrides) throws IOException {
        ProcessAgentFactory agents = ProcessAgentFactory.forThisMachine(sharedCache());
        Set<String> missing = new java.util.TreeSet<>(config.templates());
        missing.removeAll(agents.availableTemplates(config.templates()));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("runtimes for templates " + missing + " are missing: install node and python3, "
                    + "and workerd with `npm install --prefix .tools workerd` (./vibed test does this)");
        }
        return Standalone.start(config, agents, overrides);
    }

    /** The agents' class-data-sharing archive is shared by all tests of a build, so only the first start pays for it. */
    private static Path sharedCache() {
        return Path.of("target", "agent-cache").toAbsolutePath();
    }
}
