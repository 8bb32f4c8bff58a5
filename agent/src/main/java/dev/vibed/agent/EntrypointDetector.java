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
    /** The per-app virtualenv, inside the release (the only writable place that survives restarts). */
    static final String VENV = ".venv";

    /** Folders whose presence says a Node project was built already (Next.js, Nuxt/Nitro, tsc, bundlers). */
    static final List<String> NODE_BUILD_OUTPUTS = List.of(".next", ".output", "dist", "build", "out");

    private final Runtimes runtimes;
    private final PackageCache npmCache;
    private final Map<String, String> pipEnv;

    EntrypointDetector(Runtimes runtimes) {
        this(runtimes, null, Map.of());
    }

    /**
     * @param npmCache the template's shared npm cache, or null
     * @param pipEnv   env of pip installs only (where the package index is); the app never sees it
     */
    EntrypointDetector(Runtimes runtimes, PackageCache npmCache, Map<String, String> pipEnv) {
        this.runtimes = runtimes;
        this.npmCache = npmCache;
        this.pipEnv = Map.copyOf(pipEnv);
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
            case "python" -> python(dir, sandboxDir, ep, port, bind);
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
     * A package.json with a build script means the site is what the build writes, even when the project has an
     * index.html of its own: Vite's is the source page ({@code <script src="/src/main.jsx">}), which no browser
     * can run. Everything else is served as it is.
     */
    private LaunchPlan staticSite(Path dir) throws ApiException {
        if (!isFile(dir, "package.json")) {
            return new LaunchPlan.Static(dir);
        }
        PackageJson project = packageJson(dir);
        if (project.script("build").isEmpty()) {
            return new LaunchPlan.Static(dir);
        }
        List<LaunchPlan.Step> installs = new ArrayList<>();
        if (!project.dependencies().isEmpty() || !project.devDependencies().isEmpty()) {
            installs.add(npmInstall(dir, true));
        }
        return new LaunchPlan.Build(dir, installs, npmRunBuild());
    }

    /**
     * A Node server. One with a build script and nothing built yet (Next.js, an Express app written in
     * TypeScript) is installed with its dev dependencies, where the build tools are, and built before it starts.
     */
    private LaunchPlan node(Path dir, String ep) throws ApiException {
        Path node = require(runtimes.node(), "node");
        PackageJson project = packageJson(dir);
        boolean build = ep == null && project.script("build").isPresent()
                && NODE_BUILD_OUTPUTS.stream().noneMatch(f -> Files.isDirectory(dir.resolve(f), LinkOption.NOFOLLOW_LINKS));
        boolean installed = Files.isDirectory(dir.resolve("node_modules"), LinkOption.NOFOLLOW_LINKS);
        List<LaunchPlan.Step> installs = new ArrayList<>();
        if (!installed && (!project.dependencies().isEmpty() || build && !project.devDependencies().isEmpty())) {
            installs.add(npmInstall(dir, build));
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
        return new LaunchPlan.Command("node", argv, Map.of(), installs, Map.of(), build ? npmRunBuild() : null);
    }

    private LaunchPlan.Step npmInstall(Path dir, boolean withDev) throws ApiException {
        String npm = require(runtimes.npm(), "npm").toString();
        if (!withDev) {
            return new LaunchPlan.Step("npm install", List.of(npm, "install", "--omit=dev", "--no-audit", "--no-fund"),
                    Map.of(), npmCache);
        }
        // NODE_ENV=production (the user env) makes npm skip devDependencies, where the build tools are.
        boolean locked = isFile(dir, "package-lock.json") || isFile(dir, "npm-shrinkwrap.json");
        String verb = locked ? "ci" : "install";
        return new LaunchPlan.Step("npm " + verb, List.of(npm, verb, "--include=dev", "--no-audit", "--no-fund"),
                Map.of(), npmCache);
    }

    private LaunchPlan.Step npmRunBuild() throws ApiException {
        return new LaunchPlan.Step("npm run build", List.of(require(runtimes.npm(), "npm").toString(), "run", "build"));
    }

    /**
     * A Python app. Its requirements (requirements.txt, or pyproject.toml's dependencies) go into a per-app
     * virtualenv that also sees the system's packages, so what the machine ships (Flask, FastAPI, uvicorn,
     * gunicorn on Debian) needs no download.
     */
    private LaunchPlan python(Path dir, String sandboxDir, String ep, int port, String bind) throws ApiException {
        Path python = require(runtimes.python3(), "python3");
        List<LaunchPlan.Step> installs = new ArrayList<>();
        String interpreter = python.toString();
        try {
            List<String> requirements = new ArrayList<>();
            if (requirementsListPackages(dir.resolve("requirements.txt"))) {
                requirements.addAll(List.of("-r", "requirements.txt"));
            } else if (isFile(dir, "pyproject.toml")) {
                PythonApps.pyprojectDependencies(dir.resolve("pyproject.toml")).stream()
                        .filter(r -> !r.startsWith("-")).forEach(requirements::add);
            }
            if (!requirements.isEmpty()) {
                interpreter = sandboxDir + "/" + VENV + "/bin/python";
                installs.add(new LaunchPlan.Step("python -m venv", List.of(python.toString(), "-m", "venv",
                        "--system-site-packages", "--without-pip", VENV)));
                List<String> pip = new ArrayList<>(List.of(python.toString(), "-m", "pip", "--python", interpreter,
                        "install", "--no-input", "--no-cache-dir", "--disable-pip-version-check",
                        "--no-warn-script-location"));
                pip.addAll(requirements);
                installs.add(new LaunchPlan.Step("pip install", pip, pipEnv, null));
            }
            List<String> argv;
            if (ep != null) {
                argv = custom(dir, ep, Path.of(interpreter), ".py");
            } else {
                PythonApps.Runner runner = PythonApps.detect(dir).orElseThrow(() -> ApiException.badRequest(
                        "no_entrypoint", "no Python entrypoint: looked for " + String.join(", ", PythonApps.APP_FILES)
                                + " and a Django project (manage.py with <project>/wsgi.py)"));
                argv = switch (runner) {
                    case PythonApps.Runner.Script s -> List.of(interpreter, s.file());
                    case PythonApps.Runner.Asgi a -> List.of(interpreter, "-m", "uvicorn", a.module() + ":" + a.name(),
                            "--host", bind, "--port", Integer.toString(port));
                    case PythonApps.Runner.Wsgi w -> List.of(interpreter, "-m", "gunicorn", "--bind",
                            (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + port, "--access-logfile", "-",
                            w.module() + ":" + w.name());
                };
            }
            return new LaunchPlan.Command("python", argv, Map.of(), installs, Map.of());
        } catch (IOException e) {
            throw ApiException.badRequest("no_entrypoint", "the Python app is unreadable: " + e.getMessage());
        }
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
