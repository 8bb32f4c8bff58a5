package dev.vibed.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the agent will run for a release, as decided by {@link EntrypointDetector}. */
sealed interface LaunchPlan {

    String template();

    /** Human-readable command, for status messages and the agent's own log. */
    String describe();

    /** Served by the agent itself: no user process at all. */
    record Static(Path dir) implements LaunchPlan {
        @Override
        public String template() {
            return "static";
        }

        @Override
        public String describe() {
            return "built-in static file server";
        }
    }

    /**
     * A static site whose files a build script produces: run {@code installs}, then {@code build}, once (a build
     * that failed fails again the same way, so there is no restart), then serve what {@link BuildOutput} finds.
     *
     * @param dir the project directory on the host, where package.json is
     */
    record Build(Path dir, List<Step> installs, Step build) implements LaunchPlan {
        public Build {
            installs = List.copyOf(installs);
        }

        @Override
        public String template() {
            return "static";
        }

        @Override
        public String describe() {
            return build.what() + ", then the built-in static file server";
        }
    }

    /**
     * A user process.
     *
     * @param argv     argv[0] is an absolute path that resolves both on the host and inside the sandbox
     * @param env      runtime additions to the user env
     * @param installs dependency installs to run (in order, sandboxed, with a timeout) before the first start
     * @param files    files to write into the app directory before the first start (the workerd config)
     * @param build      a build to run once after the installs and before the first start (Next.js, a
     *                   TypeScript server), or null
     */
    record Command(String template, List<String> argv, Map<String, String> env, List<Step> installs,
                   Map<String, String> files, Step build) implements LaunchPlan {
        public Command {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
            installs = List.copyOf(installs);
            files = Map.copyOf(files);
        }

        Command(String template, List<String> argv, Map<String, String> env, List<Step> installs,
                Map<String, String> files) {
            this(template, argv, env, installs, files, null);
        }

        @Override
        public String describe() {
            return String.join(" ", argv.stream().map(a -> a.contains("/") && a.startsWith("/")
                    ? Path.of(a).getFileName().toString() : a).toList());
        }
    }

    /**
     * A command that runs to completion before anything is served, e.g. {@code npm install} or a build.
     *
     * @param env   additions to the user env for this step only (the package index an installer uses); the app
     *              itself never sees them
     * @param cache the package cache this step reads and fills, or null
     */
    record Step(String what, List<String> argv, Map<String, String> env, PackageCache cache) {
        public Step {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
        }

        Step(String what, List<String> argv) {
            this(what, argv, Map.of(), null);
        }
    }
}
