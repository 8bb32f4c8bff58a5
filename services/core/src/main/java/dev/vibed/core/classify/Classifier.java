package dev.vibed.core.classify;

import dev.vibed.core.archive.ArchiveManifest;

import java.util.List;
import java.util.Optional;

import static dev.vibed.core.classify.Classification.NODE;
import static dev.vibed.core.classify.Classification.PYTHON;
import static dev.vibed.core.classify.Classification.STATIC;
import static dev.vibed.core.classify.Classification.WORKERD;
import static dev.vibed.core.classify.Classification.fast;
import static dev.vibed.core.classify.Classification.general;

/**
 * Decides lane and template from file names and a few manifest keys (DESIGN.md section 4). The rules are tried in
 * order and the first that matches wins; each names itself in the result so users can see why. Reads only the
 * manifest (never the disk), stateless and thread-safe.
 */
public final class Classifier {
    /** Where build tools put their output, in order of preference. */
    static final List<String> OUTPUT_FOLDERS = List.of("dist", "build", "out", "public");
    static final List<String> WRANGLER_FILES = List.of("wrangler.toml", "wrangler.json", "wrangler.jsonc");
    static final List<String> WORKER_FILES = List.of("worker.js", "worker.mjs", "index.js", "index.mjs", "_worker.js",
            "_worker.mjs", "src/index.js", "src/index.mjs", "src/worker.js", "src/worker.mjs");
    static final List<String> NODE_SERVER_FILES = List.of("server.js", "server.mjs", "server.cjs", "index.js", "index.mjs",
            "index.cjs", "app.js", "app.mjs", "app.cjs");
    static final List<String> PYTHON_APP_FILES = List.of("app.py", "main.py");
    /** Modules that may define an ASGI or WSGI application object, in the order the agent looks at them. */
    static final List<String> PYTHON_MODULES = List.of("app.py", "main.py", "server.py", "asgi.py", "wsgi.py");
    /** What a Node build leaves behind; with one of these a project that has a build script is not rebuilt. */
    static final List<String> NODE_BUILD_OUTPUTS = List.of(".next", ".output", "dist", "build", "out");
    static final List<String> PYTHON_MARKERS = List.of("requirements.txt", "pyproject.toml", "app.py", "main.py");

    static final String LOOKED_FOR = "Looked for: index.html (at the top or in dist/, build/, out/ or public/); "
            + "package.json with a start script, a main file or a build script, or a Node server file (server.js, index.js or app.js); "
            + "requirements.txt, pyproject.toml, app.py or main.py (Python); "
            + "wrangler.toml or a module worker (worker.js, index.js, _worker.js, src/index.js or src/worker.js "
            + "with export default { fetch }).";

    private interface Rule {
        Optional<Classification> apply(ProjectView project);
    }

    private static final List<Rule> RULES = List.of(
            Classifier::prebuiltOutput,
            Classifier::plainStaticSite,
            Classifier::wranglerProject,
            Classifier::moduleWorker,
            Classifier::buildThenStart,
            Classifier::startScript,
            Classifier::buildRequired,
            Classifier::packageMain,
            Classifier::nodeServerFile,
            Classifier::pythonAppObject,
            Classifier::pythonDjango,
            Classifier::pythonRequirements,
            Classifier::pythonPyproject,
            Classifier::pythonAppFile,
            Classifier::rootIndex);

    /** @throws UnclassifiableException when no rule matches, or package.json is broken; the message says what was looked for */
    public Classification classify(ArchiveManifest manifest) throws UnclassifiableException {
        ProjectView project = ProjectView.of(manifest);
        if (project.isEmpty()) {
            throw new UnclassifiableException("The archive is empty. " + LOOKED_FOR);
        }
        for (Rule rule : RULES) {
            Optional<Classification> result = rule.apply(project);
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw new UnclassifiableException(nothingFound(project));
    }

    /**
     * static-prebuilt-output: a build tool's output folder with an index.html, served as is even when package.json
     * has a build script. With no package.json, a top-level index.html means the site is the top level instead.
     */
    private static Optional<Classification> prebuiltOutput(ProjectView p) {
        if (p.packageJson().isEmpty() && p.has("index.html")) {
            return Optional.empty();
        }
        for (String folder : OUTPUT_FOLDERS) {
            if (!p.has(folder + "/index.html")) {
                continue;
            }
            // public/ is also where Express and friends keep their assets: there the server is the app.
            if (folder.equals("public") && looksLikeServer(p)) {
                continue;
            }
            String root = p.inArchive(folder);
            return Optional.of(fast(STATIC, "static-prebuilt-output", root, "index.html at " + root + "/ (prebuilt output)"));
        }
        return Optional.empty();
    }

    /** static-root-index, checked early: a plain site whose .js files must not be mistaken for a server or a worker. */
    private static Optional<Classification> plainStaticSite(ProjectView p) {
        if (p.packageJson().isPresent() || p.hasAny(PYTHON_MARKERS)) {
            return Optional.empty();
        }
        return rootIndex(p);
    }

    /** workerd-wrangler */
    private static Optional<Classification> wranglerProject(ProjectView p) {
        return p.first(WRANGLER_FILES).map(file -> fast(WORKERD, "workerd-wrangler", p.root(),
                file + " at " + p.describeRoot() + " (a Cloudflare Workers project)"));
    }

    /** workerd-module-worker: a worker without wrangler config, recognised by its default export. */
    private static Optional<Classification> moduleWorker(ProjectView p) {
        if (startScript(p).isPresent()) {
            return Optional.empty();
        }
        for (String file : WORKER_FILES) {
            if (p.text(file).filter(ModuleWorkerSource::isModuleWorker).isPresent()) {
                return Optional.of(fast(WORKERD, "workerd-module-worker", p.root(),
                        p.inArchive(file) + " exports a module worker (export default with a fetch handler)"));
            }
        }
        return Optional.empty();
    }

    /**
     * node-build-then-start: a server that has to be built before it starts (Next.js, Nuxt, Remix, an Express app
     * written in TypeScript), with nothing built in the archive.
     */
    private static Optional<Classification> buildThenStart(ProjectView p) {
        Optional<PackageJson> pkg = p.packageJson();
        Optional<String> build = pkg.flatMap(j -> j.script("build"));
        Optional<String> start = pkg.flatMap(j -> j.script("start"));
        if (build.isEmpty() || start.isEmpty() || NODE_BUILD_OUTPUTS.stream().anyMatch(p::hasFolder)) {
            return Optional.empty();
        }
        return Optional.of(new Classification(Classification.LANE_GENERAL, NODE, "node-build-then-start", p.root(),
                "package.json has a build script (" + build.get() + ") and a start script (" + start.get()
                        + ") and nothing is built yet: it is built in its sandbox, then started", true));
    }

    /** node-start-script */
    private static Optional<Classification> startScript(ProjectView p) {
        return p.packageJson().flatMap(pkg -> pkg.script("start")).map(script -> general(NODE, "node-start-script", p.root(),
                "package.json has a start script (" + script + ")"));
    }

    /** build-required: the static output has to be built first, which is the asynchronous path. */
    private static Optional<Classification> buildRequired(ProjectView p) {
        Optional<String> build = p.packageJson().flatMap(pkg -> pkg.script("build"));
        if (build.isEmpty() || startScript(p).isPresent() || hasPrebuiltOutput(p)) {
            return Optional.empty();
        }
        String source = p.has("index.html") ? "; the index.html at " + p.describeRoot() + " is the build's input" : "";
        return Optional.of(new Classification(Classification.LANE_FAST, STATIC, Classification.RULE_BUILD_REQUIRED, p.root(),
                "package.json has a build script (" + build.get() + ") and there is no built output "
                        + "(dist/, build/, out/ or public/ with an index.html)" + source, true));
    }

    /** node-main */
    private static Optional<Classification> packageMain(ProjectView p) {
        return mainFile(p).map(file -> general(NODE, "node-main", p.root(), "package.json main points to " + file));
    }

    /** node-server-file */
    private static Optional<Classification> nodeServerFile(ProjectView p) {
        return p.first(NODE_SERVER_FILES).map(file -> general(NODE, "node-server-file", p.root(),
                file + " at " + p.describeRoot() + " (a Node server)"));
    }

    /** python-django: manage.py beside a project folder with a wsgi.py. */
    private static Optional<Classification> pythonDjango(ProjectView p) {
        if (!p.has("manage.py")) {
            return Optional.empty();
        }
        return p.firstMatching(f -> f.endsWith("/wsgi.py") && f.indexOf('/') == f.length() - "/wsgi.py".length())
                .map(wsgi -> general(PYTHON, "python-django", p.root(), "manage.py and " + wsgi
                        + " at " + p.describeRoot() + " (a Django project): served by gunicorn on $PORT"));
    }

    /**
     * python-asgi-app / python-wsgi-app: the first Python module (as the agent looks at them) defines a FastAPI,
     * Starlette or Flask app and runs no server itself, so the platform runs uvicorn or gunicorn around it.
     */
    private static Optional<Classification> pythonAppObject(ProjectView p) {
        for (String file : PYTHON_MODULES) {
            if (!p.has(file)) {
                continue;
            }
            Optional<String> text = p.text(file);
            if (text.isEmpty() || PythonSource.hasOwnRunner(text.get())) {
                return Optional.empty();
            }
            Optional<PythonSource.AppObject> asgi = PythonSource.asgiApp(text.get());
            Optional<PythonSource.AppObject> app = asgi.or(() -> PythonSource.wsgiApp(text.get()));
            if (app.isPresent()) {
                boolean isAsgi = asgi.isPresent();
                return Optional.of(general(PYTHON, isAsgi ? "python-asgi-app" : "python-wsgi-app", p.root(),
                        p.inArchive(file) + " defines " + (isAsgi ? "an ASGI" : "a WSGI") + " app (" + app.get().name()
                                + " = " + app.get().framework() + "(...)) and runs no server itself: served by "
                                + (isAsgi ? "uvicorn" : "gunicorn") + " on $PORT"));
            }
            if (!file.equals("asgi.py") && !file.equals("wsgi.py")) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** python-requirements */
    private static Optional<Classification> pythonRequirements(ProjectView p) {
        return pythonIf(p, "requirements.txt", "python-requirements");
    }

    /** python-pyproject */
    private static Optional<Classification> pythonPyproject(ProjectView p) {
        return pythonIf(p, "pyproject.toml", "python-pyproject");
    }

    /** python-app-file */
    private static Optional<Classification> pythonAppFile(ProjectView p) {
        return p.first(PYTHON_APP_FILES).flatMap(file -> pythonIf(p, file, "python-app-file"));
    }

    /** static-root-index, as the last resort: e.g. a site with a package.json that only lists dev tools. */
    private static Optional<Classification> rootIndex(ProjectView p) {
        if (!p.has("index.html")) {
            return Optional.empty();
        }
        return Optional.of(fast(STATIC, "static-root-index", p.root(), "index.html at " + p.describeRoot() + " (a static site)"));
    }

    private static Optional<Classification> pythonIf(ProjectView p, String file, String rule) {
        if (!p.has(file)) {
            return Optional.empty();
        }
        return Optional.of(general(PYTHON, rule, p.root(), file + " at " + p.describeRoot() + " (a Python app)"));
    }

    private static boolean hasPrebuiltOutput(ProjectView p) {
        return OUTPUT_FOLDERS.stream().anyMatch(folder -> p.has(folder + "/index.html"));
    }

    private static boolean looksLikeServer(ProjectView p) {
        return startScript(p).isPresent() || mainFile(p).isPresent() || p.hasAny(NODE_SERVER_FILES) || p.hasAny(PYTHON_MARKERS);
    }

    /** The file package.json's main names, resolved the way Node does for the common cases. */
    private static Optional<String> mainFile(ProjectView p) {
        Optional<String> main = p.packageJson().flatMap(PackageJson::main).map(Classifier::stripDotSlash);
        if (main.isEmpty() || main.get().contains("..")) {
            return Optional.empty();
        }
        String m = main.get();
        return p.first(List.of(m, m + ".js", m + ".mjs", m + ".cjs", m + "/index.js"));
    }

    private static String stripDotSlash(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String nothingFound(ProjectView p) {
        StringBuilder message = new StringBuilder("Could not tell how to run this app");
        if (!p.root().isEmpty()) {
            message.append(" (looked inside ").append(p.root()).append("/, the only top-level folder)");
        }
        message.append(". ").append(LOOKED_FOR);
        if (p.packageJson().isPresent()) {
            message.append(" package.json was found, but it has no start script, no main that names an existing file"
                    + " and no build script, and there is no server file.");
        }
        message.append(" Found: ").append(String.join(", ", p.topLevelNames()))
                .append(p.topLevelNames().size() >= 10 ? ", ..." : "").append('.');
        return message.toString();
    }
}
