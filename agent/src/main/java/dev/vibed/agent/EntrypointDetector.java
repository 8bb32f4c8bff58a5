package dev.vibed.agent;

import dev.vibed.core.classify.PackageJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what to run for an extracted release: by template, with the inject's {@code entrypoint} taking
 * precedence. Reads only the app directory; the one side effect-free answer is a {@link LaunchPlan}.
 */
final class EntrypointDetector {
    static final List<String> TEMPLATES = List.of("static", "node", "python", "workerd");
    static final List<String> NODE_FILES = List.of("server.js", "index.js", "app.js", "server.mjs", "index.mjs",
            "app.mjs", "server.cjs", "index.cjs", "app.cjs");
    static final List<String> PYTHON_FILES = List.of("app.py", "main.py", "server.py");

    private final Runtimes runtimes;

    EntrypointDetector(Runtimes runtimes) {
        this.runtimes = runtimes;
    }

    /**
     * @param dir        the app directory on the host ({@code <release>/<root>})
     * @param sandboxDir the same directory as the app sees it (differs under bubblewrap)
     */
    LaunchPlan detect(Path dir, String sandboxDir, String template, String entrypoint, int port, String bind,
                      Map<String, String> env) throws ApiException {
        String t = template == null || template.isBlank() ? infer(dir) : template.toLowerCase(Locale.ROOT);
        String ep = entrypoint == null || entrypoint.isBlank() ? null : entrypoint.strip();
        return switch (t) {
            case "static" -> staticSite(dir);
            case "node" -> node(dir, ep);
            case "python" -> python(dir, sandboxDir, ep);
            case "workerd" -> workerd(dir, ep, port, bind, env);
            default -> throw ApiException.badRequest("unsupported_template",
                    "template '" + t + "' is not one of " + TEMPLATES);
        };
    }

    /** Used only when the platform sent no template: the classifier in core is the authority. */
    static String infer(Path dir) {
        if (isFile(dir, "wrangler.toml")) {
            return "workerd";
        }
        if (isFile(dir, "package.json") || NODE_FILES.stream().anyMatch(f -> isFile(dir, f))) {
            return "node";
        }
        if (isFile(dir, "requirements.txt") || PYTHON_FILES.stream().anyMatch(f -> isFile(dir, f))) {
            return "python";
        }
        return "static";
    }

    /**
     * The classifier sends a project that still has to be built (package.json with a build script, no output
     * yet) as static with the project as root; a folder with its own index.html is served as it is.
     */
    private LaunchPlan staticSite(Path dir) throws ApiException {
        if (isFile(dir, "index.html") || !isFile(dir, "package.json")) {
            return new LaunchPlan.Static(dir);
        }
        PackageJson project = packageJson(dir);
        if (project.script("build").isEmpty()) {
            return new LaunchPlan.Static(dir);
        }
        String npm = require(runtimes.npm(), "npm").toString();
        List<LaunchPlan.Step> installs = new ArrayList<>();
        if (!project.dependencies().isEmpty() || !project.devDependencies().isEmpty()) {
            // NODE_ENV=production (the user env) makes npm skip devDependencies, where the build tools are.
            boolean locked = isFile(dir, "package-lock.json") || isFile(dir, "npm-shrinkwrap.json");
            String verb = locked ? "ci" : "install";
            installs.add(new LaunchPlan.Step("npm " + verb, List.of(npm, verb, "--include=dev", "--no-audit",
                    "--no-fund")));
        }
        return new LaunchPlan.Build(dir, installs, new LaunchPlan.Step("npm run build", List.of(npm, "run",
                "build")));
    }

    private LaunchPlan node(Path dir, String ep) throws ApiException {
        Path node = require(runtimes.node(), "node");
        PackageJson project = packageJson(dir);
        List<LaunchPlan.Step> installs = new ArrayList<>();
        if (!project.dependencies().isEmpty()
                && !Files.isDirectory(dir.resolve("node_modules"), LinkOption.NOFOLLOW_LINKS)) {
            installs.add(new LaunchPlan.Step("npm install", List.of(require(runtimes.npm(), "npm").toString(),
                    "install", "--omit=dev", "--no-audit", "--no-fund")));
        }
        List<String> argv;
        if (ep != null) {
            argv = custom(dir, ep, node, ".js", ".mjs", ".cjs");
        } else if (project.script("start").isPresent()) {
            argv = List.of(require(runtimes.npm(), "npm").toString(), "start");
        } else {
            String main = project.main().flatMap(m -> nodeMain(dir, m))
                    .or(() -> first(dir, NODE_FILES))
                    .orElseThrow(() -> ApiException.badRequest("no_entrypoint", "no Node entrypoint: looked for "
                            + "package.json scripts.start and main, then " + String.join(", ", NODE_FILES)));
            argv = List.of(node.toString(), main);
        }
        return new LaunchPlan.Command("node", argv, Map.of(), installs, Map.of());
    }

    private LaunchPlan python(Path dir, String sandboxDir, String ep) throws ApiException {
        Path python = require(runtimes.python3(), "python3");
        List<String> argv = ep != null ? custom(dir, ep, python, ".py")
                : List.of(python.toString(), first(dir, PYTHON_FILES).orElseThrow(() -> ApiException.badRequest(
                "no_entrypoint", "no Python entrypoint: looked for " + String.join(", ", PYTHON_FILES))));
        List<LaunchPlan.Step> installs = new ArrayList<>();
        Map<String, String> env = Map.of();
        if (requirementsListPackages(dir.resolve("requirements.txt"))) {
            // --target keeps the packages inside the release (the only writable place that survives restarts).
            installs.add(new LaunchPlan.Step("pip install", List.of(python.toString(), "-m", "pip", "install",
                    "-r", "requirements.txt", "--target", ".deps", "--no-input", "--no-cache-dir",
                    "--disable-pip-version-check", "--no-warn-script-location")));
            env = Map.of("PYTHONPATH", sandboxDir + "/.deps");
        }
        return new LaunchPlan.Command("python", argv, env, installs, Map.of());
    }

    private LaunchPlan workerd(Path dir, String ep, int port, String bind, Map<String, String> env)
            throws ApiException {
        Path workerd = require(runtimes.workerd(), "workerd");
        try {
            WorkerdConfig.Wrangler wrangler = WorkerdConfig.Wrangler.read(dir.resolve("wrangler.toml"));
            Optional<String> main = Optional.ofNullable(ep).or(wrangler::main).map(EntrypointDetector::relative);
            String module = main.isPresent()
                    ? main.filter(m -> isFile(dir, m)).orElseThrow(() -> ApiException.badRequest("no_entrypoint",
                    "worker module '" + main.get() + "' does not exist"))
                    : first(dir, WorkerdConfig.MAIN_CANDIDATES).orElseThrow(() -> ApiException.badRequest(
                    "no_entrypoint", "no worker module: looked for wrangler.toml main, then "
                            + String.join(", ", WorkerdConfig.MAIN_CANDIDATES)));
            String config = WorkerdConfig.render(dir, module,
                    wrangler.compatibilityDate().orElse(WorkerdConfig.DEFAULT_COMPATIBILITY_DATE),
                    wrangler.compatibilityFlags(), bind, port, env);
            return new LaunchPlan.Command("workerd", List.of(workerd.toString(), "serve", WorkerdConfig.FILE_NAME),
                    Map.of(), List.of(), Map.of(WorkerdConfig.FILE_NAME, config));
        } catch (IOException e) {
            throw ApiException.badRequest("no_entrypoint", "could not read the worker: " + e.getMessage());
        }
    }

    /**
     * An explicit entrypoint: a script file of the runtime ({@code server.js}), or a command line split on
     * whitespace ({@code npm run serve}, {@code python3 -m myapp}); no shell is involved.
     */
    private List<String> custom(Path dir, String ep, Path runtime, String... scriptSuffixes) throws ApiException {
        List<String> words = List.of(ep.split("\\s+"));
        String first = words.getFirst();
        for (String suffix : scriptSuffixes) {
            if (first.endsWith(suffix) && !first.startsWith("-")) {
                String script = relative(first);
                if (script == null || !isFile(dir, script)) {
                    throw ApiException.badRequest("no_entrypoint", "entrypoint '" + first + "' does not exist");
                }
                List<String> argv = new ArrayList<>(List.of(runtime.toString(), script));
                argv.addAll(words.subList(1, words.size()));
                return argv;
            }
        }
        Path exe = switch (first) {
            case "node" -> require(runtimes.node(), "node");
            case "npm" -> require(runtimes.npm(), "npm");
            case "python3", "python" -> require(runtimes.python3(), "python3");
            default -> null;
        };
        String argv0;
        if (exe != null) {
            argv0 = exe.toString();
        } else if (first.contains("/")) {
            String rel = relative(first.startsWith("./") ? first.substring(2) : first);
            if (rel == null || !isFile(dir, rel)) {
                throw ApiException.badRequest("no_entrypoint", "entrypoint '" + first + "' does not exist");
            }
            argv0 = "./" + rel;
        } else {
            argv0 = Executables.inSandboxPath(first).map(Path::toString).orElseThrow(() -> ApiException.badRequest(
                    "no_entrypoint", "entrypoint command '" + first + "' is not installed in the sandbox"));
        }
        List<String> argv = new ArrayList<>(List.of(argv0));
        argv.addAll(words.subList(1, words.size()));
        return argv;
    }

    private static PackageJson packageJson(Path dir) throws ApiException {
        Path file = dir.resolve("package.json");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return PackageJson.parse("{}");
        }
        try {
            return PackageJson.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("bad_package_json", "package.json is not valid: " + e.getMessage());
        }
    }

    private static Optional<String> nodeMain(Path dir, String main) {
        String m = relative(main.startsWith("./") ? main.substring(2) : main);
        if (m == null) {
            return Optional.empty();
        }
        for (String candidate : List.of(m, m + ".js", m + "/index.js")) {
            if (isFile(dir, candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean requirementsListPackages(Path file) throws ApiException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
        } catch (IOException e) {
            throw ApiException.badRequest("no_entrypoint", "requirements.txt is unreadable: " + e.getMessage());
        }
    }

    private static Path require(Path runtime, String name) throws ApiException {
        if (runtime == null) {
            throw new ApiException(422, "runtime_missing", name + " is not installed in this sandbox");
        }
        return runtime;
    }

    private static Optional<String> first(Path dir, List<String> candidates) {
        return candidates.stream().filter(c -> isFile(dir, c)).findFirst();
    }

    /** A path relative to the app directory that cannot leave it, or null. */
    static String relative(String p) {
        if (p == null || p.isEmpty() || p.startsWith("/") || p.contains("\\") || p.indexOf('\0') >= 0) {
            return null;
        }
        String n = p.startsWith("./") ? p.substring(2) : p;
        for (String seg : n.split("/")) {
            if (seg.equals("..")) {
                return null;
            }
        }
        return n;
    }

    /** A regular file inside {@code dir}, reached without following links out of it. */
    static boolean isFile(Path dir, String rel) {
        String r = relative(rel);
        if (r == null) {
            return false;
        }
        Path f = dir.resolve(r).normalize();
        if (!f.startsWith(dir) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return f.toRealPath().startsWith(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
